// Serves the host page on loopback: / (the page), /page.js (its script), /ui.html (the built plugin
// window) and, for the demo, /events (server-sent events of what the sheet does). Port 0 picks a
// free port unless one is given.

import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DemoEvent } from './page/activity-view';
import { pageHtml, type PageOptions } from './page-html';

export interface PageServer {
  url: string;
  port: number;
  /** Sends an event to every page following /events, and remembers it for pages that join later. */
  publish(event: DemoEvent): void;
  close(): Promise<void>;
}

export interface PageServerOptions {
  uiHtml: string;
  pageScript: string;
  page: PageOptions;
  port?: number;
  host?: string;
  /** Events kept for late joiners (the newest ones). */
  keepEvents?: number;
}

export async function servePage(options: PageServerOptions): Promise<PageServer> {
  const html = pageHtml(options.page);
  const listeners = new Set<ServerResponse>();
  const kept: DemoEvent[] = [];
  const keep = options.keepEvents ?? 60;
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (type: string, body: string): void => {
      res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' }).end(body);
    };
    if (req.method !== 'GET') return void res.writeHead(405).end();
    if (path === '/') return send('text/html', html);
    if (path === '/page.js') return send('text/javascript', options.pageScript);
    if (path === '/ui.html') return send('text/html', options.uiHtml);
    if (path === '/favicon.ico') return void res.writeHead(204).end();
    if (path === '/events') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      // The link first (it pairs the page's plugin), then what happened so far.
      const link = [...kept].reverse().find((e) => e.type === 'link');
      for (const event of link ? [link, ...kept.filter((e) => e !== link)] : kept) res.write(`data: ${JSON.stringify(event)}\n\n`);
      listeners.add(res);
      req.on('close', () => listeners.delete(res));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    publish(event) {
      kept.push(event);
      const linkCount = kept.filter((e) => e.type === 'link').length;
      if (kept.length > keep + linkCount) kept.splice(kept.findIndex((e) => e.type !== 'link'), 1);
      const text = `data: ${JSON.stringify(event)}\n\n`;
      for (const res of listeners) res.write(text);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const res of listeners) res.end();
        listeners.clear();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
