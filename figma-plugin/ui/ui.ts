// Entry of the plugin window: wires the page, the main thread's messages and the browser's socket
// and timers to the controller. No logic lives here.

import type { MainToUi, UiToMain } from '../../shared/plan/plugin-messages';
import { openBrowserSocket } from './browser-socket';
import { Controller } from './controller';
import type { NetworkAccess } from './manifest-allows';
import { render } from './render';

// Filled in by scripts/build.mjs (esbuild define): the product's version and the built manifest's networkAccess.
declare const __PRODUCT_VERSION__: string | undefined;
declare const __NETWORK_ACCESS__: NetworkAccess | undefined;

const root = document.getElementById('app');
if (!root) throw new Error('ui.html needs an element with id "app"');

function randomId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

const controller: Controller = new Controller({
  toMain: (message: UiToMain) => parent.postMessage({ pluginMessage: message }, '*'),
  openSocket: openBrowserSocket,
  clock: {
    now: () => Date.now(),
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (id) => window.clearTimeout(id as number),
  },
  render: (view) => render(root, view, controller),
  sessionId: randomId(),
  about: {
    version: typeof __PRODUCT_VERSION__ === 'string' ? __PRODUCT_VERSION__ : 'unbuilt',
    ...(typeof __NETWORK_ACCESS__ === 'object' && __NETWORK_ACCESS__ !== null ? { networkAccess: __NETWORK_ACCESS__ } : {}),
    userAgent: navigator.userAgent,
  },
});

window.addEventListener('message', (event: MessageEvent) => {
  const data = event.data as { pluginMessage?: unknown } | null;
  const message = data && typeof data === 'object' ? data.pluginMessage : undefined;
  if (message && typeof message === 'object' && typeof (message as { type?: unknown }).type === 'string') {
    controller.onMainMessage(message as MainToUi);
  }
});

controller.start();
