// npm run demo: the whole product on one machine, no Google or Figma account needed. Starts the
// relay (a child process), runs the real add-on bundle in the Apps Script fakes on the example token
// sheet and connects it, serves a page where the real plugin window and main thread run on the
// Figma fake, and edits the sheet every couple of seconds so the variables change live.
//
// Settings (environment): PORT — the relay's port (a free one when unset); DEMO_PORT — the page's
// port (a free one when unset); DEMO_EDIT_MS — time between edits (2500); DEMO_DIST — a build folder
// to take the add-on and the plugin from instead of dist/. Ctrl-C stops everything.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SidebarState } from '../apps-script/core/sidebar-state';
import { decodePairingCode } from '../shared/protocol/pairing-code';
import { createAddonWorld, type AddonWorld } from '../test/fakes/apps-script/run-addon';
import { projectRoot } from '../test/helpers/e2e-project-root';
import { loadExampleSheet, OWNER } from '../test/helpers/e2e-sheet';
import { bundlePageScript } from './bundle-page';
import { servePage, type PageServer } from './page-server';
import { startRelayChild, type RelayChild } from '../test/helpers/relay-child';
import { DEMO_STEPS, planStep } from './scripted-edits';

const DIST = join(projectRoot(), 'dist');
/** Where the add-on and the plugin are taken from: dist/, or DEMO_DIST (tests point it at a build of their own). */
const PARTS = process.env.DEMO_DIST?.trim() || DIST;

function columnLetters(col: number): string {
  let out = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) out = String.fromCharCode(65 + ((n - 1) % 26)) + out;
  return out;
}

function wholeNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`demo: ${name}=${JSON.stringify(raw)} is not valid: use a whole number, e.g. ${fallback}\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  for (const file of [join(DIST, 'relay', 'main.js'), join(PARTS, 'apps-script', 'Code.js'), join(PARTS, 'figma-plugin', 'ui.html')]) {
    if (!existsSync(file)) {
      process.stderr.write(`demo: ${file} is missing; run \`npm run build\` first (npm run demo does).\n`);
      process.exit(2);
    }
  }
  const editMs = wholeNumber('DEMO_EDIT_MS', 2500);
  const dataDir = mkdtempSync(join(tmpdir(), 'sheets-figma-demo-'));
  let relay: RelayChild | undefined;
  let world: AddonWorld | undefined;
  let page: PageServer | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopping = false;

  const stop = async (code: number): Promise<never> => {
    if (stopping) process.exit(code);
    stopping = true;
    clearInterval(timer);
    await page?.close().catch(() => undefined);
    await world?.close().catch(() => undefined);
    await relay?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    process.stdout.write('demo: stopped\n');
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    relay = await startRelayChild({ port: wholeNumber('PORT', 0), dataDir });
    relay.child.once('exit', (code) => {
      if (!stopping) {
        process.stderr.write(`demo: the relay stopped unexpectedly (code ${code})\n`);
        void stop(1);
      }
    });

    // The spreadsheet: the example token sheet, run by the real add-on bundle.
    world = createAddonWorld({ users: [OWNER], distDir: join(PARTS, 'apps-script'), title: 'Acme design tokens', fetchTimeoutMs: 10_000 });
    loadExampleSheet(world);
    world.allowInsecureRelay(); // loopback http; a real deployment uses https
    const state = world.run(OWNER, 'connect', [relay.url]) as SidebarState;
    const decoded = state.pairingCode ? decodePairingCode(state.pairingCode) : undefined;
    if (!decoded?.ok) throw new Error(`the add-on did not connect: ${state.status.text}`);

    page = await servePage({
      uiHtml: readFileSync(join(PARTS, 'figma-plugin', 'ui.html'), 'utf8'),
      pageScript: await bundlePageScript(),
      port: wholeNumber('DEMO_PORT', 0),
      page: {
        title: 'Sheets → Figma variables · live demo',
        subtitle: 'A real add-on bundle edits a sheet; a real relay carries it; the real plugin applies it to a Figma file.',
        activity: true,
        config: { autoOpen: false, events: true },
      },
    });
    page.publish({ type: 'link', link: decoded.link, pairingCode: state.pairingCode!, sheetTitle: 'Acme design tokens', relayUrl: relay.url });

    const passes = new Map<number, number>();
    let step = 0;
    const edit = (): void => {
      if (stopping || !world || !page) return;
      const index = step++ % DEMO_STEPS.length;
      const s = DEMO_STEPS[index]!;
      const pass = passes.get(index) ?? 0;
      passes.set(index, pass + 1);
      const planned = planStep(s, world.spreadsheet.tab(s.tab).values(), pass);
      const cell = `${columnLetters(planned.col)}${planned.row}`;
      const width = planned.values[0]!.length;
      const range = width > 1 ? `${cell}:${columnLetters(planned.col + width - 1)}${planned.row}` : cell;
      const startedAt = Date.now();
      const errors = world.edit(OWNER, s.tab, cell, planned.values);
      if (errors.length) process.stderr.write(`demo: the edit trigger failed: ${errors.join('; ')}\n`);
      const after = world.run(OWNER, 'getSidebarState') as SidebarState;
      const value = planned.shown;
      page.publish({ type: 'edit', note: s.note, tab: s.tab, cell: range, value, cells: planned.values[0]!.length, startedAt, ...(after.seq !== undefined ? { seq: after.seq } : {}) });
      process.stdout.write(`demo: ${s.tab}!${range} ← ${JSON.stringify(value)} (${s.note}; relay seq ${after.seq ?? '?'})\n`);
    };
    timer = setInterval(edit, editMs);

    process.stdout.write(
      [
        '',
        `  Relay      ${relay.url}   (data in ${dataDir})`,
        `  Demo page  ${page.url}`,
        '',
        `  Open the page: the plugin pairs with the sheet, then the sheet changes every ${editMs / 1000} s`,
        '  and the variables follow. Ctrl-C stops everything.',
        '',
        '',
      ].join('\n'),
    );
    process.stdout.write(`${JSON.stringify({ msg: 'demo ready', page: page.url, relay: relay.url })}\n`);
  } catch (err) {
    process.stderr.write(`demo: ${(err as Error).message}\n`);
    await stop(1);
  }
}

void main();
