// One opening of the plugin in the page, wired as Figma wires it: the built ui.html in a sandboxed
// srcdoc iframe (its Origin is "null", as in Figma), and the real main thread (startPlugin) running
// on the page's Figma fake, the two talking by postMessage: figma.ui.postMessage(m) arrives in the
// iframe as {pluginMessage: m}; the iframe's parent.postMessage({pluginMessage: m}, '*') calls
// figma.ui.onmessage(m). Closing the plugin unloads the window and silences its main thread.

import type { MessageEventHandler } from '@figma/plugin-typings/plugin-api-standalone';
import { startPlugin } from '../../figma-plugin/main/plugin-main';
import type { PluginHost } from '../../figma-plugin/main/host';
import type { MainToUi } from '../../shared/plan/plugin-messages';
import type { FakeFigma } from '../../test/fakes/figma/fake-figma';

export interface PluginSession {
  /** Every message the main thread posted to the window, in order. */
  readonly posted: MainToUi[];
  /** When (Date.now()) the main thread was handed each `apply`, by seq. */
  readonly applyReceivedAt: Map<number, number>;
  readonly iframe: HTMLIFrameElement;
  close(): void;
}

export interface SessionOptions {
  /** Called after each message the main thread posts (the page redraws its view). */
  onPosted?: (message: MainToUi) => void;
  /**
   * Lets the window save files (sandbox allow-downloads). Whether Figma's plugin window allows it is not
   * documented, so the tests run the export's CSV download both ways.
   */
  allowDownloads?: boolean;
}

/** Opens the plugin: a new window from `uiHtml` inside `container`, and a new main thread on `fake`. */
export function openPluginSession(fake: FakeFigma, uiHtml: string, container: HTMLElement, options: SessionOptions = {}): PluginSession {
  const iframe = document.createElement('iframe');
  iframe.className = 'plugin-frame';
  iframe.title = 'Plugin window';
  // No allow-same-origin: the window gets an opaque origin, so its socket says Origin: null.
  iframe.setAttribute('sandbox', options.allowDownloads ? 'allow-scripts allow-downloads' : 'allow-scripts');
  const posted: MainToUi[] = [];
  const applyReceivedAt = new Map<number, number>();
  let open = true;

  const ui: PluginHost['ui'] & { onmessage: MessageEventHandler | undefined } = {
    onmessage: undefined,
    postMessage(message: unknown) {
      if (!open) return;
      posted.push(structuredClone(message) as MainToUi);
      iframe.contentWindow?.postMessage({ pluginMessage: message }, '*');
      options.onPosted?.(message as MainToUi);
    },
  };
  const fromWindow = (event: MessageEvent): void => {
    if (!open || event.source !== iframe.contentWindow) return;
    const data = event.data as { pluginMessage?: unknown } | null;
    if (!data || typeof data !== 'object' || !('pluginMessage' in data)) return;
    const message = data.pluginMessage as { type?: unknown; position?: { seq?: unknown } } | null;
    if (message?.type === 'apply' && typeof message.position?.seq === 'number') applyReceivedAt.set(message.position.seq, Date.now());
    ui.onmessage?.(data.pluginMessage, { origin: 'null' });
  };
  window.addEventListener('message', fromWindow);

  const host: PluginHost = {
    variables: fake.variables,
    ui,
    clientStorage: fake.figma.clientStorage,
    root: fake.figma.root,
    commitUndo: () => fake.figma.commitUndo(),
  };
  const plugin = startPlugin(host);
  iframe.srcdoc = uiHtml.replace('<html lang="en">', '<html lang="en" class="figma-light">');
  container.replaceChildren(iframe);

  return {
    posted,
    applyReceivedAt,
    iframe,
    close() {
      if (!open) return;
      open = false;
      // Figma stops a closed plugin's timers; here the page does (the periodic drift check).
      plugin.stop();
      window.removeEventListener('message', fromWindow);
      // Unloading the window closes its socket, as closing the plugin does in Figma.
      iframe.remove();
    },
  };
}
