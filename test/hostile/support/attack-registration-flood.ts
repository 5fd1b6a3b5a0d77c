// Registration flood: unsigned PUTs of fresh, valid claims as fast as `concurrency` allows, from one or
// many addresses, with or without the registration key, for `durationMs`. What the relay would store
// if it let them all in is what row 3 of issue 11 measured (987 registrations/s, ~40 GB/h of disk).
//
// API
//   registrationFlood(relayUrl, { durationMs, addresses = ['127.0.0.2'], concurrency = 8, registrationKey?,
//                                 stopWhen? }) → Promise<RegistrationFloodResult>
//   RegistrationFloodResult { sent, registered (201 answers), answers: tally of every answer }

import { randomBytes } from 'node:crypto';
import { Agent } from 'node:http';
import { channelIdForClaim } from '../../../shared/protocol/channel-claim';
import { paths } from '../../../shared/protocol/messages';
import { httpFrom, tally, type HttpAnswer } from './attacker';

export interface RegistrationFloodOptions {
  durationMs: number;
  addresses?: readonly string[];
  concurrency?: number;
  registrationKey?: string;
  /** Checked after each answer: true ends the flood early. */
  stopWhen?: () => boolean;
}

export interface RegistrationFloodResult {
  sent: number;
  registered: number;
  answers: Record<string, number>;
}

export async function registrationFlood(relayUrl: string, options: RegistrationFloodOptions): Promise<RegistrationFloodResult> {
  const addresses = options.addresses ?? ['127.0.0.2'];
  const agents = new Map(addresses.map((address) => [address, new Agent({ keepAlive: true, maxSockets: 4, localAddress: address })]));
  const answers: HttpAnswer[] = [];
  const deadline = Date.now() + options.durationMs;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (Date.now() < deadline && !options.stopWhen?.()) {
      const address = addresses[next++ % addresses.length]!;
      const claim = randomBytes(32).toString('base64url');
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (options.registrationKey) headers.authorization = `Bearer ${options.registrationKey}`;
      answers.push(
        await httpFrom(relayUrl + paths.channel(channelIdForClaim(claim)), {
          method: 'PUT',
          headers,
          body: JSON.stringify({ secret: randomBytes(32).toString('base64url'), claim }),
          localAddress: address,
          agent: agents.get(address),
        }),
      );
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 8 }, worker));
  } finally {
    for (const agent of agents.values()) agent.destroy();
  }
  return { sent: answers.length, registered: answers.filter((a) => a.status === 201).length, answers: tally(answers) };
}
