// The sidebar page itself (the built Sidebar.html) in Chromium, with google.script.run wired to the
// fake Apps Script world: what it shows and what its buttons and links call.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import type { Browser, Page } from 'playwright-core';
import { connectedWorld, expectedGrid, OWNER, sidebarState } from '../../fakes/apps-script/harness';
import { useHarness } from '../../fakes/apps-script/use-harness';
import { launchChromium } from '../../helpers/chromium';
import type { AddonWorld } from '../../fakes/apps-script/run-addon';
import { offerFromFigma } from '../../helpers/offer-from-figma';
import type { Offer } from '../../../shared/protocol/messages';

/** Defines google.script.run in the page: each call goes to the world as the owner, like Apps Script's bridge. */
const BRIDGE = `
window.google = { script: { run: (function make(ok, fail) {
  return new Proxy({}, { get(_t, name) {
    if (name === 'withSuccessHandler') return (fn) => make(fn, fail);
    if (name === 'withFailureHandler') return (fn) => make(ok, fn);
    return (...args) => window.__gas(name, args).then((r) => r.error ? fail && fail(new Error(r.error)) : ok && ok(r.value));
  } });
})() } };
`;

describe('the sidebar page', () => {
  const h = useHarness();
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  /** Emits each server function name once its call has run. */
  const served = new EventEmitter();
  const servedOnce = (name: string) => new Promise<void>((resolve) => served.once(name, () => resolve()));

  async function open(world: AddonWorld): Promise<Page> {
    const page = await browser.newPage();
    await page.exposeFunction('__gas', (name: string, args: unknown[]) => {
      try {
        return { value: world.run(OWNER, name, args) ?? null };
      } catch (err) {
        return { error: (err as Error).message };
      } finally {
        setImmediate(() => served.emit(name));
      }
    });
    await page.addInitScript(BRIDGE);
    const html = readFileSync(join(world.distDir, 'Sidebar.html'), 'utf8');
    await page.route('https://sidebar.test/', (route) => route.fulfill({ contentType: 'text/html', body: html }));
    await page.goto('https://sidebar.test/');
    return page;
  }

  it('shows the status, the pairing code and the tabs of a connected sheet', async () => {
    const { world, state } = await connectedWorld(h);
    const page = await open(world);
    try {
      await page.locator('#status-text', { hasText: 'Live' }).waitFor();
      expect(await page.inputValue('#pairing-code')).toBe(state.pairingCode);
      const tabs = await page.$$eval('#tabs input[type=checkbox]', (boxes) => boxes.map((b) => [b.id, (b as HTMLInputElement).checked]));
      expect(tabs).toEqual([
        ['tab-0', true],
        [`tab-${world.spreadsheet.tab('Notes').id}`, false],
        [`tab-${world.spreadsheet.tab('Sizes').id}`, true],
      ]);
      expect(await page.content()).not.toContain(world.documentProperties.data.get('sfs.secret'));
      await page.setViewportSize({ width: 300, height: 900 });
      await page.screenshot({ path: 'test-artifacts/sidebar-connected.png', fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('runs Check setup: each step with its result, one report to copy, the trigger count, nothing secret', async () => {
    const { world, state } = await connectedWorld(h);
    const page = await open(world);
    try {
      await page.locator('#status-text', { hasText: 'Live' }).waitFor();
      expect(await page.textContent('#trigger-count')).toBe('Your triggers: 3 here, 3 of 20 across your documents · 1 person connected here');
      await page.click('#check-setup');
      await page.locator('#setup-report').waitFor();
      const steps = await page.$$eval('#setup-steps li', (items) => items.map((li) => [li.className, li.querySelector('.mark')!.textContent]));
      expect(steps).toEqual([
        ['step ok', 'ok'],
        ['step ok', 'ok'],
        ['step ok', 'ok'],
        ['step skip', 'skip'],
        ['step ok', 'ok'],
        ['step ok', 'ok'],
        ['step ok', 'ok'],
        ['step ok', 'ok'],
      ]);
      const text = await page.inputValue('#setup-report');
      expect(text.split('\n')[0]).toMatch(/^Sheets to Figma sync add-on \S+ \(protocol v2\) · Check setup at /);
      expect(text.split('\n').at(-1)).toBe('All 8 checks passed.');
      const secret = world.documentProperties.data.get('sfs.secret')!;
      const channelId = JSON.parse(world.documentProperties.data.get('sfs.channel')!).channelId as string;
      for (const hidden of [secret, channelId, state.pairingCode!]) expect(text).not.toContain(hidden);
      await page.setViewportSize({ width: 300, height: 1400 });
      await page.screenshot({ path: 'test-artifacts/sidebar-check-setup.png', fullPage: true });
    } finally {
      await page.close();
    }
  });

  it('warns near Apps Script’s 20 triggers per person, and tells others that a collaborator must approve again', async () => {
    const { world } = await connectedWorld(h);
    for (let i = 0; i < 16; i++) world.triggers.push({ uid: `other-${i}`, user: OWNER, docId: `other-doc-${Math.floor(i / 3)}`, handler: 'handleEdit', eventType: 'ON_EDIT' });
    world.documentProperties.data.set('sfs.reauth', JSON.stringify({ someoneElse: Date.now() }));
    const page = await open(world);
    try {
      await page.locator('#trigger-warning').waitFor();
      expect(await page.textContent('#trigger-warning')).toMatch(/^You have 19 of the 20 triggers Apps Script allows you for this add-on/);
      expect(await page.textContent('#others-reauthorize')).toMatch(/^A collaborator’s triggers are stopped until they approve the add-on again/);
    } finally {
      await page.close();
    }
  });

  it('tells an account without triggers that any connected collaborator’s triggers send the edits', async () => {
    const { world } = await connectedWorld(h);
    world.triggers.splice(0, world.triggers.length); // the owner's triggers gone (removed in the script editor, say)
    const page = await open(world);
    try {
      await page.locator('#status-text', { hasText: 'Live' }).waitFor();
      expect(await page.textContent('#triggers-missing')).toBe(
        'This account has no sync triggers. Edits (anyone’s) are sent by the triggers of any collaborator who connected; if no one else has, Connect again below to send them from this account.',
      );
    } finally {
      await page.close();
    }
  });

  it('connects from the relay address field', async () => {
    const world = h.world();
    const page = await open(world);
    try {
      await page.fill('#relay-url', h.gate.url);
      await page.click('#connect-button');
      await page.locator('#status-text', { hasText: 'Live' }).waitFor();
      expect((await page.inputValue('#pairing-code')).startsWith('sfs1.')).toBe(true);
      expect(world.triggers.map((t) => t.handler)).toEqual(['handleEdit', 'handleChange', 'retryQueue']);
    } finally {
      await page.close();
    }
  });

  it('shows why an address is refused', async () => {
    const world = h.world();
    world.scriptProperties.data.delete('ALLOW_INSECURE_RELAY_FOR_TESTS');
    const page = await open(world);
    try {
      await page.fill('#relay-url', 'http://relay.example.com');
      await page.click('#connect-button');
      await page.locator('#error').waitFor();
      expect(await page.textContent('#error')).toMatch(/^The relay address must start with https:\/\//);
    } finally {
      await page.close();
    }
  });

  it('selects a problem’s cell when it is clicked', async () => {
    const world = h.world({
      tabs: {
        Colors: [
          ['Name', 'Value'],
          ['color/a', '#fff'],
          ['color/a', '#000'],
        ],
      },
    });
    const page = await open(world);
    try {
      const problem = page.locator('#problems button.problem').first();
      await problem.waitFor();
      await page.setViewportSize({ width: 300, height: 900 });
      await page.screenshot({ path: 'test-artifacts/sidebar-problems.png', fullPage: true });
      const where = await problem.locator('.where').textContent();
      const selected = servedOnce('selectCell');
      await problem.click();
      await selected;
      const [tab, cell] = where!.split('!');
      expect(world.spreadsheet.activeRange).toEqual({ sheetId: world.spreadsheet.tab(tab!).id, a1: cell });
    } finally {
      await page.close();
    }
  });

  it('unticking a tab stops syncing it, with a snapshot of the rest', async () => {
    const { world, mirror } = await connectedWorld(h);
    const page = await open(world);
    try {
      await page.locator('#status-text', { hasText: 'Live' }).waitFor();
      await page.uncheck(`#tab-${world.spreadsheet.tab('Sizes').id}`);
      await mirror.until(2);
      expect(mirror.grid).toEqual(expectedGrid(world, ['Colors']));
      const state = sidebarState(world);
      expect(state.tabsMode).toBe('chosen');
    } finally {
      await page.close();
    }
  });

  it('lists a Figma file\'s offer and imports it: asks before replacing a tab with content, then shows what it wrote', async () => {
    const { world, mirror, state } = await connectedWorld(h, (w) => {
      w.spreadsheet.addSheet('Colors copy');
    });
    const offer: Offer = {
      id: 'o-sidebar-1',
      file: { name: 'Design System.fig' },
      at: Date.now() - 60_000,
      collections: [
        { collectionId: 'VariableCollectionId:1:1', name: 'Colors', modes: ['Light', 'Dark'], variables: 2, values: [['Name', 'Light', 'Dark'], ['color/bg', '#ffffff', '#111111'], ['color/fg', '#111111', '#ffffff']] },
        { collectionId: 'VariableCollectionId:1:2', name: 'Spacing', modes: ['Value'], variables: 1, values: [['Name', 'Value'], ['space/4', 16]] },
      ],
      problems: [{ tab: 'Colors', cell: '', severity: 'error', message: 'The name "color.legacy" contains "."; the sheet cannot carry it unchanged, so its row is left out of the sheet.', code: 'EXPORT_NAME_UNSUPPORTED' }],
    };
    await offerFromFigma(h.relay.url, state.pairingCode!, offer);
    const page = await open(world);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });
    try {
      const line = page.locator('#offers .offer-line');
      await line.waitFor();
      expect(await line.textContent()).toBe('Figma file Design System.fig offered 2 collections (3 variables)');
      await page.setViewportSize({ width: 300, height: 900 });
      await page.screenshot({ path: 'test-artifacts/sidebar-offer.png', fullPage: false });
      const imported = servedOnce('importOffer');
      await page.click('#import-o-sidebar-1');
      await imported;
      await page.locator('#import-result').waitFor();
      // Colors had content: the sidebar asked first, naming it; Spacing was new.
      expect(dialogs).toEqual([expect.stringContaining('\n\nColors\n\n')]);
      expect(await page.textContent('#import-result p')).toBe('Imported from Design System.fig: Colors (2 rows, replaced), Spacing (1 row, inserted).');
      expect(world.spreadsheet.tab('Colors').values()).toEqual(offer.collections[0]!.values);
      await page.screenshot({ path: 'test-artifacts/sidebar-imported.png', fullPage: false });
      await mirror.until(2);
      expect(mirror.grid.tabs.map((t) => t.name)).toEqual(['Colors', 'Sizes', 'Spacing']);
    } finally {
      await page.close();
    }
  });
});
