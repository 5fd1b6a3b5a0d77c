// A pairing code's holder polling a channel's tokens (GET …/tokens with the subscribe token) as fast as
// it can: several addresses, a few keep-alive connections each, every poll sent as soon as the last
// was answered, half of the pollers sending the ETag they last got (If-None-Match), the others never,
// over a rotating set of queries (every format and layout, a mode, a mode no tab has).
//
// API
//   pollTokens(relayUrl, channel, { addresses, perAddress, durationMs, queries? }) → Promise<TokenPolls>
//   TokenPolls { sent, answers: tally "200", "304", "429 RATE_LIMITED", …; perAddress: address → polls
//                that passed the rate limits (anything but 429); bytes: body bytes received }

import { Agent, request } from 'node:http';
import { paths } from '../../../shared/protocol/messages';
import type { TestChannel } from '../../relay/support/relay-api';

export interface TokenPolls {
  sent: number;
  answers: Record<string, number>;
  perAddress: Record<string, number>;
  bytes: number;
}

export const POLL_QUERIES: readonly string[] = ['', '?layout=single', '?mode=Dark', '?format=css', '?format=json&mode=Dark', '?format=css&mode=Nope', '?file=tokens.resolver.json'];

interface Answer {
  status: number;
  code: string | undefined;
  etag: string | undefined;
  bytes: number;
}

function poll(url: string, token: string, agent: Agent, localAddress: string, etag: string | undefined): Promise<Answer> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}` };
    if (etag) headers['if-none-match'] = etag;
    const req = request(url, { headers, agent, localAddress, timeout: 20_000 }, (res) => {
      let bytes = 0;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        // Only an error body is read; a tokens body is counted and dropped.
        if (res.statusCode !== 200 && bytes < 4096) chunks.push(chunk);
      });
      res.on('end', () => {
        let code: string | undefined;
        if (res.statusCode !== 200 && res.statusCode !== 304) {
          try {
            code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string } }).error?.code;
          } catch {
            code = undefined;
          }
        }
        const given = res.headers.etag;
        resolve({ status: res.statusCode ?? 0, code, etag: typeof given === 'string' ? given : undefined, bytes });
      });
      res.on('error', () => resolve({ status: 0, code: 'NETWORK', etag: undefined, bytes }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, code: `NETWORK:${err.code ?? err.message}`, etag: undefined, bytes: 0 }));
    req.end();
  });
}

export async function pollTokens(
  relayUrl: string,
  channel: Pick<TestChannel, 'channelId' | 'token'>,
  options: { addresses: readonly string[]; perAddress: number; durationMs: number; queries?: readonly string[] },
): Promise<TokenPolls> {
  const queries = options.queries ?? POLL_QUERIES;
  const result: TokenPolls = { sent: 0, answers: {}, perAddress: {}, bytes: 0 };
  const until = Date.now() + options.durationMs;
  const agents: Agent[] = [];
  const pollers = options.addresses.flatMap((address, a) => {
    const agent = new Agent({ keepAlive: true, maxSockets: options.perAddress });
    agents.push(agent);
    result.perAddress[address] = 0;
    return Array.from({ length: options.perAddress }, async (_, p) => {
      const withEtag = (a + p) % 2 === 0;
      const etags = new Map<string, string>();
      for (let i = p; Date.now() < until; i++) {
        const query = queries[i % queries.length]!;
        const answer = await poll(`${relayUrl}${paths.tokens(channel.channelId)}${query}`, channel.token, agent, address, withEtag ? etags.get(query) : undefined);
        result.sent++;
        result.bytes += answer.bytes;
        const key = answer.code ? `${answer.status} ${answer.code}` : String(answer.status);
        result.answers[key] = (result.answers[key] ?? 0) + 1;
        if (answer.status !== 429) result.perAddress[address]!++;
        if (answer.status === 200 && answer.etag) etags.set(query, answer.etag);
        // A refused poll goes again at once: the attacker does not slow down.
      }
    });
  });
  await Promise.all(pollers);
  for (const agent of agents) agent.destroy();
  return result;
}
