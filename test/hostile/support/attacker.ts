// What every attack client shares: addresses to attack from, and one HTTP request from a chosen
// address. On Linux every 127.x.y.z address is this machine, so an attack sent from 127.0.0.2 (or a
// hundred such addresses) reaches a relay on 127.0.0.1 as another client than the bystander (127.0.0.1):
// per-address limits then fall on the attacker only, as they would on the internet.
//
// API
//   attackerAddresses(count, first = 2) → ['127.0.0.2', '127.0.0.3', …]   (at most 250)
//   httpFrom(url, { method, headers?, body?, localAddress, agent?, timeoutMs = 10000, holdLastByteMs? }) → Promise<HttpAnswer>
//     holdLastByteMs sends all of the body but its last byte, and that byte so many ms later; a request
//     with a Content-Length header and no body sends none and waits for the answer.
//     HttpAnswer { status, code }: the status and the catalogue code of a JSON error body (undefined
//     for a success); a network failure resolves { status: 0, code: 'NETWORK:<errno>' }.
//   tally(answers) → Record<string, number>   "201", "429 RATE_LIMITED", … → count

import { Agent, request } from 'node:http';

export interface HttpAnswer {
  status: number;
  code: string | undefined;
}

export function attackerAddresses(count: number, first = 2): string[] {
  if (count < 1 || first + count - 1 > 251) throw new Error('attack from 1 to 250 addresses between 127.0.0.2 and 127.0.0.251');
  return Array.from({ length: count }, (_, i) => `127.0.0.${first + i}`);
}

export function httpFrom(
  url: string,
  options: { method: string; headers?: Record<string, string>; body?: string | Buffer; localAddress: string; agent?: Agent | false; timeoutMs?: number; holdLastByteMs?: number },
): Promise<HttpAnswer> {
  return new Promise((resolve) => {
    const req = request(url, { method: options.method, headers: options.headers, localAddress: options.localAddress, agent: options.agent, timeout: options.timeoutMs ?? 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { error?: { code?: string } }).error?.code;
        } catch {
          code = undefined;
        }
        resolve({ status: res.statusCode ?? 0, code });
      });
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, code: `NETWORK:${err.code ?? err.message}` }));
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, code: `NETWORK:${err.code ?? err.message}` }));
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    if (body && options.holdLastByteMs) {
      // All but the last byte now, the last one later: the relay holds the rest meanwhile.
      req.write(body.subarray(0, -1));
      setTimeout(() => req.end(body.subarray(-1)), options.holdLastByteMs);
    } else if (body) {
      req.end(body);
    } else if (!options.headers?.['content-length']) {
      req.end();
    } else {
      // A Content-Length and no body: the headers go now, the body never, so the answer must come without it.
      req.flushHeaders();
    }
  });
}

export function tally(answers: readonly HttpAnswer[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of answers) {
    const key = a.code && a.status !== 0 ? `${a.status} ${a.code}` : a.code ?? String(a.status);
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}
