// What a pairing code alone lets someone do (it names the channel id and carries the subscribe token,
// never the secret or the claim). Row 8 of issue 11: fill a channel's 200 sockets and make `/status`
// 52 MB with large applied reports (over Apps Script's 50 MB fetch limit), flood a socket with ping
// frames, or claim the id first after the relay lost the channel.
//
// API
//   fillChannel(relayUrl, channelId, token, { addresses, perAddress, reportProblems = 240 }) → Promise<FilledChannel>
//     opens perAddress sockets from each address, says hello and sends an applied report of
//     reportProblems problems of ~950 bytes each (just under MAX_MESSAGE_BYTES at 240)
//   FilledChannel { joined, closes(): tally of close codes so far, close() }
//   pingFlood(relayUrl, channelId, token, { frames, localAddress = '127.0.0.2' }) → Promise<{ closeCode, pongs }>
//   claimFirst(relayUrl, channelId, token, localAddress = '127.0.0.2') → Promise<HttpAnswer[]>
//     unsigned PUTs with a secret of its own: without a claim, and with the token (or its id) as the claim

import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import { paths } from '../../../shared/protocol/messages';
import { httpFrom, type HttpAnswer } from './attacker';

export interface FilledChannel {
  joined: number;
  closes(): Record<string, number>;
  close(): Promise<void>;
}

function socketUrl(relayUrl: string, channelId: string): string {
  return relayUrl.replace(/^http/, 'ws') + paths.socket(channelId);
}

/** Opens a socket from `localAddress`, says hello and resolves once welcomed (true) or closed first (false). */
function join(relayUrl: string, channelId: string, token: string, localAddress: string, closes: Record<string, number>): Promise<{ ws: WebSocket; joined: boolean }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(socketUrl(relayUrl, channelId), { localAddress });
    ws.on('error', () => undefined);
    ws.once('unexpected-response', (_req, res) => {
      closes[`http ${res.statusCode}`] = (closes[`http ${res.statusCode}`] ?? 0) + 1;
      ws.terminate();
      resolve({ ws, joined: false });
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', v: 2, token, client: { name: 'attacker' } })));
    ws.on('message', (data) => {
      if (String(data).startsWith('{"type":"welcome"')) resolve({ ws, joined: true });
    });
    ws.once('close', (code) => {
      closes[String(code)] = (closes[String(code)] ?? 0) + 1;
      resolve({ ws, joined: false });
    });
  });
}

export async function fillChannel(relayUrl: string, channelId: string, token: string, options: { addresses: readonly string[]; perAddress: number; reportProblems?: number }): Promise<FilledChannel> {
  const closes: Record<string, number> = {};
  const sockets: WebSocket[] = [];
  const problem = { tab: 'Colors', cell: 'B2', severity: 'error', message: 'm'.repeat(900) };
  const report = JSON.stringify({ type: 'applied', seq: 0, errors: Array.from({ length: options.reportProblems ?? 240 }, () => problem), errorCount: 100_000 });
  let joined = 0;
  for (const address of options.addresses) {
    const opened = await Promise.all(Array.from({ length: options.perAddress }, () => join(relayUrl, channelId, token, address, closes)));
    for (const { ws, joined: ok } of opened) {
      sockets.push(ws);
      if (!ok) continue;
      joined++;
      ws.send(report);
    }
  }
  return {
    joined,
    closes: () => ({ ...closes }),
    async close() {
      await Promise.all(
        sockets.map((ws) =>
          ws.readyState === WebSocket.CLOSED
            ? undefined
            : new Promise((resolve) => {
                ws.once('close', resolve);
                ws.terminate();
              }),
        ),
      );
    },
  };
}

export async function pingFlood(relayUrl: string, channelId: string, token: string, options: { frames: number; localAddress?: string }): Promise<{ closeCode: number; pongs: number }> {
  const { ws, joined } = await join(relayUrl, channelId, token, options.localAddress ?? '127.0.0.2', {});
  if (!joined) throw new Error('the ping flood could not join the channel');
  let pongs = 0;
  ws.on('pong', () => pongs++);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  for (let i = 0; i < options.frames && ws.readyState === WebSocket.OPEN; i++) ws.ping();
  let timer: NodeJS.Timeout | undefined;
  const closeCode = await Promise.race([closed, new Promise<number>((resolve) => (timer = setTimeout(() => resolve(-1), 10_000)))]);
  clearTimeout(timer);
  if (closeCode === -1) ws.terminate();
  return { closeCode, pongs };
}

export async function claimFirst(relayUrl: string, channelId: string, token: string, localAddress = '127.0.0.2'): Promise<HttpAnswer[]> {
  const secret = randomBytes(32).toString('base64url');
  const put = (body: object): Promise<HttpAnswer> =>
    httpFrom(relayUrl + paths.channel(channelId), { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), localAddress });
  return [await put({ secret }), await put({ secret, claim: token }), await put({ secret, claim: `${channelId}${channelId}`.slice(0, 43) })];
}
