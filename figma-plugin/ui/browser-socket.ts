// The browser's WebSocket behind the connection's small Socket interface, including what the browser
// does with a socket the page's Content-Security-Policy forbids (Figma enforces the manifest's
// networkAccess that way): Chromium neither throws nor fires `close`, only `error`, and the document
// gets a `securitypolicyviolation` event naming the blocked address.

import type { OpenSocket } from './connection';
import { violationBlocks } from './policy-violation';

export const openBrowserSocket: OpenSocket = (url, handlers) => {
  // Listening before the socket exists: the violation is raised while the constructor checks the URL.
  const onViolation = (event: SecurityPolicyViolationEvent) => {
    if (!violationBlocks(event.blockedURI, url)) return;
    stopListening();
    handlers.onBlocked?.(event.blockedURI);
  };
  const stopListening = () => document.removeEventListener('securitypolicyviolation', onViolation);
  document.addEventListener('securitypolicyviolation', onViolation);
  let ws: WebSocket;
  try {
    // Throws for a URL the browser refuses outright (malformed; older browsers also for a blocked one).
    ws = new WebSocket(url);
  } catch (err) {
    stopListening();
    throw err;
  }
  ws.onopen = () => {
    stopListening();
    handlers.onOpen();
  };
  ws.onmessage = (event: MessageEvent) => {
    // The relay sends JSON text frames only; anything else is answered as a bad message.
    handlers.onMessage(typeof event.data === 'string' ? event.data : '');
  };
  ws.onclose = (event: CloseEvent) => {
    stopListening();
    handlers.onClose(event.code, event.reason);
  };
  // For an unreachable relay a close follows, which carries what there is to know; for a blocked
  // socket nothing follows (the connection decides after a short wait).
  ws.onerror = () => handlers.onError?.();
  return {
    send: (text) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    },
    close: (code, reason) => {
      stopListening();
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close(code, reason.slice(0, 120));
      } catch {
        // Already closing: nothing left to end.
      }
    },
  };
};
