// An in-process stand-in for the relay's end of the plugin's socket, with knobs to open, send,
// close and stay silent, and a record of everything the plugin sent; and for what the browser does
// with a socket the page's Content-Security-Policy forbids (as Figma's does for a relay the manifest's
// networkAccess does not list): in Chromium the constructor does not throw and `close` never fires,
// only `error` (observed in issue 9's Chromium experiment, and checked for real by ui-in-chromium.test.ts),
// with a `securitypolicyviolation` event on the document naming the blocked address.

import type { OpenSocket, Socket, SocketHandlers } from '../../../figma-plugin/ui/connection';
import type { ClientMessage, ServerMessage } from '../../../shared/protocol/messages';

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

  /** The browser blocks the socket by policy: the violation event first (when given), then `error`, and never `close`. */
  blockByPolicy(options: { violationEvent: boolean } = { violationEvent: true }): void {
    if (options.violationEvent) this.handlers.onBlocked?.(this.url.replace(/^(wss?:\/\/[^/]+).*$/, '$1'));
    this.handlers.onError?.();
  }

  /** The socket fails as a network failure does in a browser: `error`, then `close` 1006. */
  failThenClose(): void {
    this.handlers.onError?.();
    this.handlers.onClose(1006, '');
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
