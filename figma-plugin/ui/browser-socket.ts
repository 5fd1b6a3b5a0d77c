// The browser's WebSocket behind the connection's small Socket interface.

import type { OpenSocket } from './connection';

export const openBrowserSocket: OpenSocket = (url, handlers) => {
  // Throws for a URL the browser refuses outright (malformed, or blocked by the plugin's CSP).
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (event: MessageEvent) => {
    // The relay sends JSON text frames only; anything else is answered as a bad message.
    handlers.onMessage(typeof event.data === 'string' ? event.data : '');
  };
  ws.onclose = (event: CloseEvent) => handlers.onClose(event.code, event.reason);
  // An error is always followed by close, which carries what there is to know.
  ws.onerror = null;
  return {
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    close: (code, reason) => {
      ws.onopen = ws.onmessage = ws.onclose = null;
      try {
        ws.close(code, reason.slice(0, 120));
      } catch {
        // Already closing: nothing left to end.
      }
    },
  };
};
