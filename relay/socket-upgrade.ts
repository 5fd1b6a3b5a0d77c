// Accepts or refuses a WebSocket upgrade before any WebSocket exists: the path must name a channel
// socket, the Origin must be allowed (null and none always are), and the relay must not be stopping.

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { SyncError } from '../shared/protocol/errors';
import { isChannelId } from '../shared/protocol/messages';
import type { Settings } from './settings';

const SOCKET_PATH_RE = /^\/v2\/channels\/([^/]+)\/socket$/;

/** The channel an upgrade request is for; throws the SyncError to answer with otherwise. */
export function checkUpgrade(req: IncomingMessage, settings: Settings, shuttingDown: boolean): string {
  if (shuttingDown) throw new SyncError('SHUTTING_DOWN');
  const path = (req.url ?? '/').split('?')[0]!;
  const match = SOCKET_PATH_RE.exec(path);
  if (!match) throw new SyncError('NOT_FOUND', `no socket at ${path}; sockets are at /v2/channels/:id/socket`);
  if (!isChannelId(match[1]!)) throw new SyncError('BAD_REQUEST', 'a channel id is 16-64 characters of A-Z a-z 0-9 _ -');
  if (!originAllowed(req.headers.origin, settings.allowedOrigins)) throw new SyncError('BAD_ORIGIN', `Origin ${req.headers.origin} is not in ALLOWED_ORIGINS`);
  return match[1]!;
}

/**
 * `Origin: null` is what Figma's plugin iframe sends (an opaque origin); no Origin means a
 * non-browser client, which an Origin check could not restrict anyway. Others must be listed.
 */
export function originAllowed(origin: string | undefined, allowed: Settings['allowedOrigins']): boolean {
  if (origin === undefined || origin === 'null') return true;
  if (allowed === '*') return true;
  return allowed.includes(origin.toLowerCase().replace(/\/+$/, ''));
}

/** Answers a refused upgrade on the raw socket with the error's status and JSON body. */
export function refuseUpgrade(socket: Duplex, error: SyncError, requestId: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(error.toBody());
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-Id: ${requestId}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    'Connection: close',
  ];
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};
