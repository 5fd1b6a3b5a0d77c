// The built plugin window (scripts/build.mjs → ui.html) in headless Chromium, inside a host page that
// plays Figma's side of postMessage under the Content-Security-Policy Figma builds from the built
// manifest (figma-csp.ts: a development run, so devAllowedDomains count), against a real relay process:
// relays the manifest does not allow, pair, snapshot, patch, relay killed and restarted, revoked code,
// reopened with a cached grid. Screenshots of the main states go to test-artifacts/.
// The tests run in order and build on each other, as one designer's session would.

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, FrameLocator, Locator, Page } from 'playwright-core';
import { launchChromium } from '../../helpers/chromium';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { parseUiMessage, type ApplyRequest } from '../../../figma-plugin/main/ui-messages';
import type { MainToUi, UiToMain } from '../../../shared/plan/plugin-messages';
import type { Position } from '../../../shared/protocol/messages';
import { startRelayProcess, type RelayProcess } from '../../helpers/relay-process';
import { buildPlugin } from './build-ui';
import { figmaCsp } from './figma-csp';
import { serveHost, type HostServer, type Theme } from './host-page';
import { SheetPublisher } from './sheet-publisher';

const ROOT = resolve(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');

/** What `window.host` in the host page offers (see host-page.ts). */
interface HostApi {
  state: { messages: UiToMain[]; problems: unknown[]; orphans: unknown[]; init: unknown; answerApply: boolean };
  post(message: MainToUi): void;
  of(type: string): UiToMain[];
  load(init: MainToUi, theme: Theme): Promise<void>;
}
declare const host: HostApi;

/** An apply the window sent, with its grid read back from the text as the main thread reads it. */
type ApplyMessage = ApplyRequest;

function readApply(message: UiToMain): ApplyMessage {
  const parsed = parseUiMessage(message);
  if (!parsed.ok || parsed.message.type !== 'apply') throw new Error(`the window sent an apply the main thread refuses: ${parsed.ok ? parsed.message.type : parsed.message}`);
  return parsed.message;
}

let dataDir: string;
let relay: RelayProcess | undefined;
let server: HostServer | undefined;
let browser: Browser | undefined;
let page: Page;
let ui: FrameLocator;
let sheet: SheetPublisher;
/** Uncaught errors in the host page or the plugin window: each test ends with none. */
const pageErrors: string[] = [];

const COLORS = {
  tabId: 0,
  name: 'Colors',
  values: [
    ['Name', 'Light', 'Dark'],
    ['color/bg', '#ffffff', '#1e1e1e'],
    ['color/fg', '#1e1e1e', '#ffffff'],
    ['color/brand', '#0d99ff', '#0c8ce9'],
  ],
};
const SPACING = { tabId: 7, name: 'Spacing', values: [['Name', 'Value'], ['space/s', 4], ['space/m', 8]] };

const INIT: MainToUi = { type: 'init', fileName: 'Tokens.fig', settings: { paused: false, review: false }, orphans: [] };

/**
 * Clicks and returns the newest message of `type` the window then sent to the main thread. The window's
 * postMessage reaches the host page asynchronously, so the host's list is waited on, not read at once.
 */
async function clickAndReceive(target: Locator, type: UiToMain['type']): Promise<UiToMain> {
  const before = await page.evaluate((t) => host.of(t).length, type);
  await target.click();
  await page.waitForFunction(([t, n]) => host.of(t).length > n, [type, before] as const, { timeout: 10_000 });
  return (await page.evaluate((t) => host.of(t), type)).at(-1)!;
}

async function applies(): Promise<ApplyMessage[]> {
  return (await page.evaluate(() => host.of('apply'))).map(readApply);
}

/** Waits until the host has seen an apply at this seq and returns it. */
async function applyAt(seq: number): Promise<ApplyMessage> {
  await page.waitForFunction((s) => host.of('apply').some((m) => (m as { position: Position }).position.seq === s), seq, { timeout: 10_000 });
  return (await applies()).find((m) => m.position.seq === seq)!;
}

const label = () => ui.locator('[data-test="status-label"]');

/**
 * The window fills the viewport (360 × 560), so the page's viewport is the window. An element screenshot
 * of the iframe now and then left Chromium hit-testing the window's clicks off target until the window
 * reloaded ("<section> intercepts pointer events" for the next click); a plain viewport capture does not,
 * and test/helpers/chromium.ts keeps the window in the page's process (see there why).
 */
async function shoot(name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `ui-${name}.png`) });
}

beforeAll(async () => {
  // The plugin is built here (in a copy of the sources); the relay is the gate's build in dist/relay.
  const plugin = await buildPlugin();
  mkdirSync(ARTIFACTS, { recursive: true });
  dataDir = mkdtempSync(join(tmpdir(), 'ui-relay-'));
  relay = await startRelayProcess({ DATA_DIR: dataDir });
  server = await serveHost(plugin.uiHtml, { csp: figmaCsp(plugin.manifest.networkAccess, { development: true }) });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 360, height: 560 }, deviceScaleFactor: 2 });
  // Fail a step well within jest's 30 s rather than waiting for an element that will not come.
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (err) => pageErrors.push(err.message));
  // Fake timers that flow like real time until a test pauses them (to hold a reconnect countdown).
  await page.clock.install();
  await page.goto(server.url);
  ui = page.frameLocator('#plugin');
  // The window reaches the relay as localhost, the loopback name the manifest's devAllowedDomains lists.
  sheet = new SheetPublisher(relay.url, relay.url.replace('//127.0.0.1:', '//localhost:'));
  await sheet.register();
  await sheet.snapshot([COLORS, SPACING]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await relay?.stop('SIGKILL');
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

/** What the window, the host and the relay were doing, added to a failing step's error. */
async function context(): Promise<string> {
  const status = await label()
    .textContent({ timeout: 1000 })
    .catch(() => '(no status shown)');
  const messages = await page
    .evaluate(() => host.state.messages.slice(-8).map((m) => ('position' in m ? `${m.type}@${m.position.seq}` : m.type)))
    .catch(() => []);
  return `window status: ${status}\nlast UI → main messages: ${messages.join(', ')}\nrelay output (tail):\n${relay?.output().slice(-1500) ?? ''}`;
}

/** A step of the session: a test whose failure says where the window and the relay stood. */
function step(title: string, body: () => Promise<void>): void {
  test(title, async () => {
    try {
      await body();
    } catch (err) {
      if (err instanceof Error) {
        // Jest prints a Playwright error's stack, which holds the message as it was when thrown.
        const more = `\n\n${await context()}`;
        err.message += more;
        if (err.stack) err.stack = err.stack.replace(/\n {4}at /, `${more}\n    at `);
        await page.screenshot({ path: join(ARTIFACTS, `ui-failed-${title.slice(0, 40).replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => undefined);
      }
      throw err;
    }
  });
}

step('a file with no link shows the pairing screen, and a damaged code is explained inline', async () => {
  await page.evaluate((init) => host.load(init, 'light'), INIT);
  await ui.locator('[data-test="pairing-screen"]').waitFor();
  expect(await page.evaluate(() => host.state.messages)).toEqual([{ type: 'ui-ready' }]);
  await ui.locator('[data-test="pairing-code"]').fill('hello there');
  await ui.locator('[data-test="connect"]').click();
  await expect(ui.locator('[data-test="pairing-error"]').textContent()).resolves.toBe(
    'This is not a pairing code: copy the whole code (it starts with "sfs1.") from the sheet\'s add-on sidebar.',
  );
  await ui.locator('[data-test="pairing-code"]').fill('');
  await shoot('pairing');
});

step('a code naming the relay as 127.0.0.1 is blocked by the manifest’s policy: the window says so at once, tells to use localhost, and stops', async () => {
  await ui.locator('[data-test="pairing-code"]').fill(sheet.pairingCode(relay!.url));
  await ui.locator('[data-test="connect"]').click();
  await label().filter({ hasText: 'Can’t connect' }).waitFor();
  const host = relay!.url.replace('http://', '');
  await expect(ui.locator('[data-test="status-message"]').textContent()).resolves.toBe(`Figma blocked the connection to ${host}: this plugin’s manifest does not allow that address.`);
  await expect(ui.locator('[data-test="status-next"]').textContent()).resolves.toBe(
    `Figma lets a plugin in development reach only localhost, not ${host}: in the sheet’s sidebar, set the relay address to ${sheet.codeRelayUrl}, connect, and paste the new pairing code here.`,
  );
  await expect(ui.locator('[data-test="retry-now"]').count()).resolves.toBe(0);
  await shoot('blocked-loopback');
});

step('a code for an https relay the manifest does not list is blocked too, naming the address and the RELAY_URL to build with', async () => {
  await ui.locator('[data-test="pairing-code"]').fill(sheet.pairingCode('https://relay.elsewhere.example'));
  await ui.locator('[data-test="connect"]').click();
  await ui.locator('[data-test="status-message"]', { hasText: 'relay.elsewhere.example' }).waitFor();
  await expect(label().textContent()).resolves.toBe('Can’t connect');
  await expect(ui.locator('[data-test="status-next"]').textContent()).resolves.toBe(
    'Rebuild the plugin with RELAY_URL=https://relay.elsewhere.example (npm run build) and import its manifest in Figma again, or paste a pairing code for a relay this plugin allows.',
  );
  // Nothing reached the relay from either blocked code.
  expect(relay!.logs.filter((e) => e.msg === 'subscriber caught up')).toEqual([]);
});

step('pasting a pairing code saves the link, receives the snapshot and sends its grid to the main thread', async () => {
  await ui.locator('[data-test="pairing-code"]').fill(sheet.pairingCode());
  await ui.locator('[data-test="connect"]').click();
  const apply = await applyAt(1);
  expect(apply).toEqual({
    type: 'apply',
    position: { epoch: expect.any(String), seq: 1 },
    grid: sheet.expectedGrid(),
    hash: gridHash(sheet.expectedGrid()),
    snapshot: true,
    at: expect.any(Number),
    title: 'Brand tokens',
  });
  const linkSaves = await page.evaluate(() => host.of('link-save'));
  expect(linkSaves.at(-1)).toEqual({ type: 'link-save', link: { relayUrl: sheet.codeRelayUrl, channelId: sheet.channelId, token: expect.any(String) } });
  await expect(label().textContent()).resolves.toBe('Live');
  await expect(ui.locator('[data-test="sheet-title"]').textContent()).resolves.toBe('Brand tokens');
  await expect(ui.locator('[data-test="count-created"] .count-n').textContent()).resolves.toBe('5');
  await expect(ui.locator('[data-test="last-update"]').textContent()).resolves.toMatch(/^Last update \d\d:\d\d:\d\d · \d+(\.\d)? m?s after the edit$/);
  await shoot('live-light');
});

step('an edit in the sheet arrives as a patch and reaches the main thread as the next apply', async () => {
  await sheet.edit(0, 'Colors', 4, 2, '#ff5500');
  const apply = await applyAt(2);
  expect(apply.grid).toEqual(sheet.expectedGrid());
  expect(apply.grid.tabs[0]!.rows[3]).toEqual(['color/brand', '#ff5500', '#0c8ce9']);
  expect((await applies()).map((m) => m.position.seq)).toEqual([1, 2]);
  await expect(ui.locator('[data-test="count-updated"] .count-n').textContent()).resolves.toBe('1');
});

step('in Figma’s dark theme the window follows Figma’s colours', async () => {
  const frame = page.frames().find((f) => f !== page.mainFrame())!;
  const lightBg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await frame.evaluate((vars) => {
    document.documentElement.className = 'figma-dark';
    document.getElementById('figma-style')!.textContent = `:root{${Object.entries(vars).map(([k, v]) => `${k}:${v}`).join(';')}}`;
  }, (await import('./host-page')).FIGMA_THEME.dark);
  const darkBg = await frame.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect([lightBg, darkBg]).toEqual(['rgb(255, 255, 255)', 'rgb(44, 44, 44)']);
  await shoot('live-dark');
  await frame.evaluate((vars) => {
    document.documentElement.className = 'figma-light';
    document.getElementById('figma-style')!.textContent = `:root{${Object.entries(vars).map(([k, v]) => `${k}:${v}`).join(';')}}`;
  }, (await import('./host-page')).FIGMA_THEME.light);
});

step('problems from the sheet and from Figma are listed as Tab!A1: message, and one click removes an orphan', async () => {
  const orphans = [
    { variableId: 'VariableID:1:2', name: 'color/legacy/accent', collectionId: 'c1', collectionName: 'Colors' },
    { variableId: 'VariableID:1:3', name: 'space/xxl', collectionId: 'c2', collectionName: 'Spacing' },
  ];
  await page.evaluate((o) => {
    host.state.orphans = o;
    host.state.problems = [
      { tab: 'Colors', cell: 'C3', severity: 'error', message: '"#12" is not a colour: use #rgb, #rrggbb, #rrggbbaa, rgb(), rgba() or hsl()', code: 'COLOR_MALFORMED' },
      { tab: 'Spacing', cell: 'A9', severity: 'warning', message: 'The row has values but no name; it was skipped.', code: 'NAME_MISSING' },
      { tab: 'Brand Colors', cell: 'D2', severity: 'error', message: 'Figma allows 4 modes on this plan; the mode "High contrast" was not created.', code: 'FIGMA_MODE_LIMIT' },
    ];
  }, orphans);
  await sheet.edit(7, 'Spacing', 3, 2, 12);
  await applyAt(3);
  await ui.locator('[data-test="orphan"]').nth(1).waitFor();
  const lines = await ui.locator('[data-test="problem"] .problem-text').allTextContents();
  expect(lines).toEqual([
    'Colors!C3: "#12" is not a colour: use #rgb, #rrggbb, #rrggbbaa, rgb(), rgba() or hsl()',
    "'Brand Colors'!D2: Figma allows 4 modes on this plan; the mode \"High contrast\" was not created.",
    'Spacing!A9: The row has values but no name; it was skipped.',
  ]);
  await expect(ui.locator('[data-test="problems-summary"]').textContent()).resolves.toBe('2 errors, 1 warning');
  await shoot('problems');
  await ui.locator('[data-test="remove-orphan"]').first().click();
  await ui.locator('[data-test="orphan"]').nth(1).waitFor({ state: 'detached' });
  expect(await page.evaluate(() => host.of('remove-orphans'))).toEqual([{ type: 'remove-orphans', variableIds: ['VariableID:1:2'] }]);
  await expect(ui.locator('[data-test="orphan"] .orphan-name').allTextContents()).resolves.toEqual(['space/xxl']);
  await page.evaluate(() => {
    host.state.problems = [];
    host.state.orphans = [];
  });
});

step('the relay killed and restarted: the window counts down, reconnects with since and catches up exactly', async () => {
  const before = (await applies()).length;
  // Hold the window's timers so the sheet can publish while it waits to reconnect.
  const now = await page.evaluate(() => Date.now());
  await page.clock.pauseAt(now + 500);
  const epoch = (await applies())[0]!.position.epoch;
  await relay!.kill();
  await ui.locator('[data-test="status-label"]', { hasText: /^Reconnecting in \d+ s$/ }).waitFor({ timeout: 5000 });
  await shoot('reconnecting');
  relay = await startRelayProcess({ DATA_DIR: dataDir, PORT: String(relay!.port) });
  await sheet.edit(0, 'Colors', 2, 3, '#101010');
  await sheet.edit(0, 'Colors', 5, 1, 'color/new');
  await page.clock.resume();
  const apply = await applyAt(5);
  expect(apply.grid).toEqual(sheet.expectedGrid());
  // Both missed patches were applied to the grid, but the main thread got one apply (the newest).
  expect((await applies()).slice(before).map((m) => m.position)).toEqual([{ epoch, seq: 5 }]);
  const caughtUp = await relay.waitForLog((e) => e.msg === 'subscriber caught up');
  expect({ recovery: caughtUp.recovery, since: caughtUp.since, seq: caughtUp.seq }).toEqual({ recovery: 'patches', since: { epoch, seq: 3 }, seq: 5 });
  await expect(label().textContent()).resolves.toBe('Live');
});

step('rotating the sheet’s key revokes the code: the window says so, stops, and a new code resumes', async () => {
  await sheet.rotate();
  await ui.locator('[data-test="status-label"]', { hasText: 'Pairing code revoked' }).waitFor({ timeout: 5000 });
  await expect(ui.locator('[data-test="status-message"]').textContent()).resolves.toBe('The sheet’s owner made a new pairing code, so this one no longer works.');
  await expect(ui.locator('[data-test="status-next"]').textContent()).resolves.toBe('Paste the new pairing code from the sheet’s add-on sidebar.');
  await shoot('revoked');
  const joins = relay!.logs.filter((e) => e.msg === 'subscriber caught up').length;
  // Pasting a whole code connects at once, without pressing Connect.
  await ui.locator('[data-test="pairing-code"]').evaluate((field, code) => {
    const data = new DataTransfer();
    data.setData('text', code);
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
  }, sheet.pairingCode());
  await label().filter({ hasText: /^Live$/ }).waitFor({ timeout: 5000 });
  // The relay's log reaches the test through a pipe, possibly after the window already shows Live:
  // wait for the next "caught up" line rather than reading the log at once.
  const caughtUp = (e: { msg?: unknown }) => e.msg === 'subscriber caught up';
  const resumedNow = await relay!.waitForLog((e) => caughtUp(e) && relay!.logs.filter(caughtUp).indexOf(e) === joins);
  expect(relay!.logs.filter(caughtUp)).toHaveLength(joins + 1);
  expect(resumedNow).toMatchObject({ recovery: 'current', seq: 5 });
});

step('paused, an edit is received but held back; resuming applies the newest state', async () => {
  const before = (await applies()).length;
  expect(await clickAndReceive(ui.locator('label.toggle', { hasText: 'Pause live updates' }), 'settings')).toEqual({ type: 'settings', settings: { paused: true, review: false } });
  await sheet.edit(7, 'Spacing', 2, 2, 6);
  await ui.locator('[data-test="held-back"]').waitFor();
  await expect(label().textContent()).resolves.toBe('Paused');
  expect(await applies()).toHaveLength(before);
  await ui.locator('label.toggle', { hasText: 'Pause live updates' }).click();
  const apply = await applyAt(6);
  expect(apply.grid).toEqual(sheet.expectedGrid());
  expect(await applies()).toHaveLength(before + 1);
  await expect(label().textContent()).resolves.toBe('Live');
});

step('review mode shows the pending changes and applies them on approval', async () => {
  expect(await clickAndReceive(ui.locator('label.toggle', { hasText: 'Review changes before applying' }), 'settings')).toEqual({ type: 'settings', settings: { paused: false, review: true } });
  await page.evaluate(() => {
    host.state.answerApply = false;
  });
  await sheet.edit(0, 'Colors', 3, 2, '#222222');
  const apply = await applyAt(7);
  const summary = { total: 1, byOp: { setValue: 1 }, lines: ['color/fg (Light): #1e1e1e → #222222'] };
  await page.evaluate((m) => host.post(m), { type: 'pending', position: apply.position, summary } as MainToUi);
  await expect(ui.locator('[data-test="pending"] li').allTextContents()).resolves.toEqual(['color/fg (Light): #1e1e1e → #222222']);
  await shoot('review');
  expect(await clickAndReceive(ui.locator('[data-test="approve"]'), 'approve-pending')).toEqual({ type: 'approve-pending' });
  await page.evaluate((position) => {
    host.state.answerApply = true;
    host.post({ type: 'applied', position, counts: { created: 0, updated: 1, unchanged: 6 }, problems: [], orphans: [], durationMs: 4 });
  }, apply.position);
  await ui.locator('[data-test="pending"]').waitFor({ state: 'detached' });
  await expect(ui.locator('[data-test="count-updated"] .count-n').textContent()).resolves.toBe('1');
});

step('drift the main thread found is shown for review; Put back answers it, and the reset is listed', async () => {
  const summary = { total: 2, byOp: { setValue: 2 }, lines: ['color/bg (Light): #ff0000 → #ffffff', 'space/m (Value): 10 → 8'] };
  await page.evaluate((s) => host.post({ type: 'drift', state: 'review', summary: s, problems: [], orphans: [] }), summary);
  await expect(ui.locator('[data-test="drift-lines"] li').allTextContents()).resolves.toEqual(summary.lines);
  await shoot('drift-review');
  expect(await clickAndReceive(ui.locator('[data-test="approve-drift"]'), 'approve-drift')).toEqual({ type: 'approve-drift' });
  await page.evaluate((s) => host.post({ type: 'drift', state: 'reset', summary: s, problems: [], orphans: [] }), summary);
  await ui.locator('[data-test="close-drift"]').waitFor();
  await ui.locator('[data-test="close-drift"]').click();
  await ui.locator('[data-test="drift"]').waitFor({ state: 'detached' });
});

step('Diagnostics runs every step, the window’s against the real relay, and shows one copyable report without the token', async () => {
  const token = ((await page.evaluate(() => host.of('link-save'))).at(-1) as Extract<UiToMain, { type: 'link-save' }>).link.token;
  await ui.locator('[data-test="open-diagnostics"]').click();
  const field = ui.locator('[data-test="diagnostics-report"]');
  await field.waitFor();
  const report = await field.inputValue();
  const relayAddress = sheet.codeRelayUrl.replace('http://', '');
  const lines = report.split('\n');
  expect(lines[1]).toBe('product 0.1.0 · protocol v2 · Figma plugin API 1.0.0 · Figma editor figma');
  expect(lines).toContain(`[ok] Relay allowed by the manifest: ws://${relayAddress} is allowed by the devAllowedDomains entry "ws://localhost:*" (Figma applies devAllowedDomains only while the plugin runs in development, not once published).`);
  expect(lines.find((l) => l.startsWith('[ok] Socket to the relay ('))).toMatch(new RegExp(`^\\[ok\\] Socket to the relay \\(\\d+ ms\\): Opened to ${relayAddress.replace(/[.]/g, '\\.')}\\.$`));
  expect(lines.find((l) => l.startsWith('[ok] Pairing code accepted by the relay ('))).toMatch(/recovery "current"\)\.$/);
  expect(lines.filter((l) => l.startsWith('['))).toHaveLength(8);
  expect(report).not.toContain(token);
  await page.frames().find((f) => f !== page.mainFrame())!.evaluate(() => window.scrollTo(0, 0));
  await shoot('diagnostics');
  await ui.locator('[data-test="copy-report"]').click();
  await ui.locator('[data-test="copy-report"]', { hasText: 'Copied' }).or(ui.locator('[data-test="copy-hint"]')).waitFor();
  await shoot('diagnostics-report');
  await ui.locator('[data-test="close-diagnostics"]').click();
  await ui.locator('[data-test="connected-screen"]').waitFor();
});

step('unlink forgets the sheet in this file and returns to the pairing screen', async () => {
  expect(await clickAndReceive(ui.locator('[data-test="unlink"]'), 'link-clear')).toEqual({ type: 'link-clear' });
  await ui.locator('[data-test="pairing-screen"]').waitFor();
});

step('opened again with the grid the main thread cached, the window resumes from its position and catches up by the missed patches', async () => {
  // What the main thread would have cached after the apply at seq 3, and what the file applied last.
  const cachedFrom = await applyAt(3);
  const lastApplied = (await applies()).at(-1)!.position;
  const link = ((await page.evaluate(() => host.of('link-save'))).at(-1) as Extract<UiToMain, { type: 'link-save' }>).link;
  const epoch = cachedFrom.position.epoch;
  expect(cachedFrom.hash).toBe(gridHash(cachedFrom.grid));
  await sheet.edit(7, 'Spacing', 2, 2, 5);
  const init: MainToUi = { ...INIT, link, position: lastApplied, cached: { position: cachedFrom.position, hash: cachedFrom.hash!, grid: cachedFrom.grid } };
  await page.evaluate((message) => host.load(message, 'light'), init);
  const apply = await applyAt(8);
  expect(apply).toEqual({ type: 'apply', position: { epoch, seq: 8 }, grid: sheet.expectedGrid(), hash: gridHash(sheet.expectedGrid()), at: expect.any(Number), title: 'Brand tokens' });
  expect((await applies()).map((m) => m.position.seq)).toEqual([8]);
  const caughtUp = await relay!.waitForLog((e) => e.msg === 'subscriber caught up' && e.seq === 8);
  expect({ recovery: caughtUp.recovery, since: caughtUp.since, seq: caughtUp.seq }).toEqual({ recovery: 'patches', since: { epoch, seq: 3 }, seq: 8 });
  await expect(label().textContent()).resolves.toBe('Live');
  await shoot('reopened-from-cache');
});
