// An in-process stand-in for the relay's end of the plugin's socket, with knobs to open, send,
// close and stay silent, and a record of everything the plugin sent.

import type { OpenSocket, Socket, SocketHandlers } from '../../../figma-plugin/ui/connection';
import type { ClientMessage, ServerMessage } from '../../../shared/protocol';

export class FakeSocket implements Socket {
  readonly url: string;
  readonly sent: ClientMessage[] = [];
  /** Set when the plugin closed this socket itself. */
  closedByClient: { code: number; reason: string } | undefined;
  private readonly handlers: SocketHandlers;

  constructor(url: string, handlers: SocketHandlers) {
    this.url = url;
    this.handlers = handlers;
  }

  send(text: string): void {
    if (this.closedByClient) throw new Error('the plugin sent on a socket it had closed');
    this.sent.push(JSON.parse(text) as ClientMessage);
  }

  close(code: number, reason: string): void {
    this.closedByClient = { code, reason };
  }

  /** The relay accepts the connection. */
  open(): void {
    this.handlers.onOpen();
  }

  /** The relay sends a message (any object, so tests can send malformed ones). */
  receive(message: ServerMessage | Record<string, unknown>): void {
    this.handlers.onMessage(JSON.stringify(message));
  }

  receiveText(text: string): void {
    this.handlers.onMessage(text);
  }

  /** The socket ends from the relay's side (or the network's: 1006). */
  closeFromRelay(code: number, reason = ''): void {
    this.handlers.onClose(code, reason);
  }

  /** What the plugin sent, by type. */
  sentOf<T extends ClientMessage['type']>(type: T): Extract<ClientMessage, { type: T }>[] {
    return this.sent.filter((m): m is Extract<ClientMessage, { type: T }> => m.type === type);
  }
}

/** Hands out fake sockets and remembers them in order. */
export class FakeSockets {
  readonly all: FakeSocket[] = [];
  /** When set, opening a socket throws this (as a browser does for a URL it refuses). */
  refuseWith: Error | undefined;

  readonly open: OpenSocket = (url, handlers) => {
    if (this.refuseWith) throw this.refuseWith;
    const socket = new FakeSocket(url, handlers);
    this.all.push(socket);
    return socket;
  };

  get last(): FakeSocket {
    const socket = this.all[this.all.length - 1];
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }
}
