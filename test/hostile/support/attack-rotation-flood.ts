// Rotation flood: a channel's owner (or whoever holds its secret) rotates the secret as fast as the
// relay answers. Row 5 of issue 11: every rotation's fingerprint was kept for ever and read in full on
// each request or hello (100 k rotations: a 150 ms stall per unsigned request; 1 M: 1.3-2.0 s).
//
// API
//   rotationFlood(relayUrl, { channelId, secret }, { count, localAddress = '127.0.0.2' }) → Promise<RotationFloodResult>
//   RotationFloodResult { rotated, answers (tally), secrets: every secret the channel had, in order (the
//                         first is the one given; the last is current) }

import { randomBytes } from 'node:crypto';
import { paths } from '../../../shared/protocol/messages';
import { signRequest } from '../../../shared/protocol/signing';
import { httpFrom, tally, type HttpAnswer } from './attacker';

export interface RotationFloodResult {
  rotated: number;
  answers: Record<string, number>;
  secrets: string[];
}

export async function rotationFlood(relayUrl: string, channel: { channelId: string; secret: string }, options: { count: number; localAddress?: string }): Promise<RotationFloodResult> {
  const secrets = [channel.secret];
  const answers: HttpAnswer[] = [];
  const path = paths.channel(channel.channelId);
  let lastTimestamp = 0;
  for (let i = 0; i < options.count; i++) {
    const next = randomBytes(32).toString('base64url');
    const body = JSON.stringify({ secret: next });
    // A new millisecond for each: two requests alike would be the same signature (a replay).
    lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
    const headers = { 'content-type': 'application/json', 'x-sync-timestamp': String(lastTimestamp), 'x-sync-signature': signRequest(secrets[secrets.length - 1]!, lastTimestamp, 'PUT', path, body) };
    const answer = await httpFrom(relayUrl + path, { method: 'PUT', headers, body, localAddress: options.localAddress ?? '127.0.0.2' });
    answers.push(answer);
    if (answer.status === 200) secrets.push(next);
    else if (answer.status !== 429) break;
  }
  return { rotated: secrets.length - 1, answers: tally(answers), secrets };
}
