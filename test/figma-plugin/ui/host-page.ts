// A page that plays Figma's side of the plugin window: it loads the built ui.html into a sandboxed
// srcdoc iframe (so the socket's Origin is "null", as in Figma) under the Content-Security-Policy Figma
// builds from the manifest (figma-csp.ts), injects Figma's theme class and colour variables, answers
// ui-ready with init, records every UI → main message, and answers like a scripted main thread
// (apply → applied, remove-orphans → orphans-removed, diagnose → a scripted diagnosis: the main
// thread's own steps are tested on the Figma fake). Served on loopback.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A subset of the variables Figma injects with themeColors: true, with its light and dark values. */
export const FIGMA_THEME = {
  light: {
    '--figma-color-bg': '#ffffff',
    '--figma-color-bg-secondary': '#f5f5f5',
    '--figma-color-bg-hover': '#f5f5f5',
    '--figma-color-bg-brand': '#0d99ff',
    '--figma-color-bg-brand-hover': '#007be5',
    '--figma-color-text': '#000000e5',
    '--figma-color-text-secondary': '#00000080',
    '--figma-color-text-tertiary': '#0000004d',
    '--figma-color-text-onbrand': '#ffffff',
    '--figma-color-text-brand': '#007be5',
    '--figma-color-text-danger': '#dc3412',
    '--figma-color-text-warning': '#b86200',
    '--figma-color-icon-warning': '#f7a600',
    '--figma-color-icon-success': '#14ae5c',
    '--figma-color-bg-danger-tertiary': '#fff1ee',
    '--figma-color-bg-warning-tertiary': '#fff7e6',
    '--figma-color-border': '#e6e6e6',
    '--figma-color-border-strong': '#2c2c2c',
  },
  dark: {
    '--figma-color-bg': '#2c2c2c',
    '--figma-color-bg-secondary': '#383838',
    '--figma-color-bg-hover': '#383838',
    '--figma-color-bg-brand': '#0c8ce9',
    '--figma-color-bg-brand-hover': '#0a6dc2',
    '--figma-color-text': '#ffffff',
    '--figma-color-text-secondary': '#ffffffb3',
    '--figma-color-text-tertiary': '#ffffff66',
    '--figma-color-text-onbrand': '#ffffff',
    '--figma-color-text-brand': '#7cc4f8',
    '--figma-color-text-danger': '#fca397',
    '--figma-color-text-warning': '#f7d15f',
    '--figma-color-icon-warning': '#f7d15f',
    '--figma-color-icon-success': '#79d297',
    '--figma-color-bg-danger-tertiary': '#4d2a25',
    '--figma-color-bg-warning-tertiary': '#4a3a12',
    '--figma-color-border': '#444444',
    '--figma-color-border-strong': '#ffffff',
  },
} as const;

export type Theme = keyof typeof FIGMA_THEME;

const HOST_SCRIPT = String.raw`
const THEMES = __THEMES__;
const CSP = __CSP__;
const frame = document.getElementById('plugin');
const state = { messages: [], init: null, problems: [], orphans: [], applies: 0, answerApply: true };
// What the main thread's Diagnostics answer looks like (test/figma-plugin/main/diagnostics.test.ts runs the real one).
const DIAGNOSIS = {
  type: 'diagnosis',
  facts: { 'Figma plugin API': '1.0.0', 'Figma editor': 'figma' },
  steps: [
    { id: 'variables', title: 'Variables readable', result: 'ok', ms: 41, detail: '2 collections and 5 variables read (every property the sync uses) in 41 ms; 2 collections and 5 variables carry this sync\'s mark in shared plugin data ("sheetsfigmasync") or an earlier build\'s.' },
    { id: 'document', title: 'What this file remembers', result: 'ok', detail: 'A pairing code is saved in this file for this plugin id; the sheet it names is noted in shared plugin data for other plugin ids. The last applied change is seq 7.' },
    { id: 'write', title: 'Timed write and read-back on a scratch variable (removed afterwards)', result: 'ok', ms: 2, detail: 'create collection 1 ms, create variable 0 ms, set value 1 ms, read back 0 ms (the same), shared plugin data written and read back 0 ms (the same). Removed again in 0 ms.' },
    { id: 'modes', title: 'Modes per collection on this file (Figma’s limit)', result: 'ok', ms: 3, detail: 'Figma allows 10 modes per collection here: it refused mode 11 with “in addMode: Limited to 10 modes only”.' },
    { id: 'drift', title: 'Drift check at this file’s size', result: 'ok', ms: 1, detail: 'Re-reading 2 collections and 5 variables the sync made took 1 ms; the open plugin does this every 15 s.' },
  ],
};

function themed(html, theme) {
  const vars = Object.entries(THEMES[theme]).map(([k, v]) => k + ':' + v).join(';');
  // The policy first in <head>, so it governs everything the window loads or opens.
  const policy = CSP ? '<meta http-equiv="Content-Security-Policy" content="' + CSP.replace(/&/g, '&amp;').replace(/"/g, '&quot;') + '">' : '';
  return html
    .replace('<html lang="en">', '<html lang="en" class="figma-' + theme + '">')
    .replace('<head>', '<head>' + policy + '<style id="figma-style">:root{' + vars + '}</style>');
}

function post(message) {
  frame.contentWindow.postMessage({ pluginMessage: message }, '*');
}

// The window sends the grid as its transfer text (gridText): [[tabId, name, rows], …].
function counts(gridText) {
  let rows = 0;
  for (const [, , tabRows] of JSON.parse(gridText)) rows += Math.max(0, tabRows.length - 1);
  state.applies++;
  return state.applies === 1 ? { created: rows, updated: 0, unchanged: 0 } : { created: 0, updated: 1, unchanged: Math.max(0, rows - 1) };
}

window.addEventListener('message', (event) => {
  if (event.source !== frame.contentWindow) return;
  const message = event.data && event.data.pluginMessage;
  if (!message) return;
  state.messages.push(message);
  switch (message.type) {
    case 'ui-ready':
      post(state.init);
      break;
    case 'link-save':
      state.init = { ...state.init, link: message.link };
      break;
    case 'link-clear': {
      const { link, position, ...rest } = state.init;
      state.init = rest;
      break;
    }
    case 'apply':
      state.init = { ...state.init, position: message.position };
      if (state.answerApply) {
        post({ type: 'applied', position: message.position, counts: counts(message.gridText), problems: state.problems, orphans: state.orphans, durationMs: 7, ...(message.at !== undefined ? { at: message.at } : {}) });
      }
      break;
    case 'remove-orphans': {
      const before = state.orphans.length;
      state.orphans = state.orphans.filter((o) => !message.variableIds.includes(o.variableId));
      post({ type: 'orphans-removed', removed: before - state.orphans.length, orphans: state.orphans });
      break;
    }
    case 'settings':
      state.init = { ...state.init, settings: message.settings };
      break;
    case 'diagnose':
      post(DIAGNOSIS);
      break;
  }
});

window.host = {
  state,
  post,
  of: (type) => state.messages.filter((m) => m.type === type),
  async load(init, theme) {
    state.init = init;
    state.messages.length = 0;
    const html = await (await fetch('/ui.html')).text();
    frame.srcdoc = themed(html, theme);
  },
};
`;

function hostHtml(csp: string | undefined): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>Figma host</title>
<style>body{margin:0;background:#888}iframe{display:block;border:0;width:360px;height:560px;background:#fff}</style></head>
<body><iframe id="plugin" sandbox="allow-scripts"></iframe>
<script>${HOST_SCRIPT.replace('__THEMES__', JSON.stringify(FIGMA_THEME)).replace('__CSP__', () => JSON.stringify(csp ?? null))}</script></body></html>`;
}

export interface HostServer {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the host page at / and the plugin window's HTML at /ui.html on 127.0.0.1 (port 0). `csp` is
 * the policy the window runs under (figmaCsp of the manifest); none when undefined.
 */
export async function serveHost(uiHtml: string, options: { csp?: string } = {}): Promise<HostServer> {
  const page = hostHtml(options.csp);
  const server: Server = createServer((req, res) => {
    if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(page);
    else if (req.url === '/ui.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(uiHtml);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
