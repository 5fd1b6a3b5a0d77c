// Answers bytes that are not HTTP (Node's 'clientError': a request line or header the parser refuses,
// headers past the size limit, a request that never arrives in full) with the relay's JSON error body,
// not Node's bare "400 Bad Request"; counts and logs the refusal, never the bytes themselves.

import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { SyncError } from '../shared/protocol/errors';
import type { Logger } from './logger';
import type { RelayMetrics } from './metrics';
import { refuseUpgrade } from './socket-upgrade';

/** What Node's HTTP parser attaches to the errors it raises (err.rawPacket, the bytes, is never read). */
export interface ClientError extends Error {
  code?: string;
  bytesParsed?: number;
}

/** Why the request was refused, in words a client's developer can act on. */
function detailOf(err: ClientError): string {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'the request line and headers are larger than the relay accepts';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'the request did not arrive in full in time';
    case 'HPE_INVALID_EOF_STATE':
      return 'the connection ended in the middle of a request';
    default:
      return `the bytes sent are not an HTTP/1.1 request (${err.code ?? 'unparsable'}${err.bytesParsed !== undefined ? ` after ${err.bytesParsed} bytes` : ''})`;
  }
}

export interface ClientErrorContext {
  metrics: RelayMetrics;
  logger: Logger;
  /** The response the relay is writing on this socket, if any (a request before the bad bytes). */
  inFlight: ServerResponse | undefined;
}

/**
 * A reset needs no answer, and a socket that can no longer be written to (or whose current response
 * has begun) is only closed: an answer there would corrupt what the peer reads. Otherwise the peer gets
 * BAD_REQUEST as JSON with Connection: close, and the socket is closed once the answer is flushed.
 */
export function answerClientError(err: ClientError, socket: Duplex, context: ClientErrorContext): void {
  if (err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const error = new SyncError('BAD_REQUEST', detailOf(err));
  const requestId = randomUUID();
  context.metrics.reject(error.code);
  context.logger.info({ reqId: requestId, status: error.status, code: error.code, parserError: err.code, bytesParsed: err.bytesParsed }, 'not HTTP: refused');
  if (!socket.writable || context.inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  // Closed fully once flushed: after a parser error nothing more on this socket can be read as HTTP.
  socket.once('finish', () => socket.destroy());
  // The same raw answer a refused WebSocket upgrade gets: status line, JSON body, Connection: close.
  refuseUpgrade(socket, error, requestId);
}
