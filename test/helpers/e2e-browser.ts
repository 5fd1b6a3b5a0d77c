// The Figma side of the end-to-end chain in headless Chromium: the host page (demo/page) serves the
// built plugin window in a sandboxed iframe and runs the plugin's main thread on the Figma fake in
// the page. PluginPage drives it as a designer would (open, paste the pairing code, press buttons)
// and reads the fake file back for the assertions.

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import type { Orphan } from '../../shared/sheet/model';
import type { MainToUi } from '../../shared/plan/plugin-messages';
import type { AppliedMessage, AppliedRecord, PageApi } from '../../demo/page/page-api';
import { servePage, type PageServer } from '../../demo/page-server';
import type { FileModel, FoundVariable } from './e2e-file-model';
import type { SeedCollection } from '../fakes/figma/existing-file';
import { projectRoot } from './e2e-project-root';

export { CHROMIUM_ARGS, launchChromium } from './chromium';

export const ARTIFACTS = join(projectRoot(), 'test-artifacts');

declare const sheetsDemo: PageApi;

export class PluginPage {
  /** Uncaught errors in the page or the plugin window. */
  readonly errors: string[] = [];
  readonly ui: FrameLocator;

  constructor(
    readonly page: Page,
    readonly server: PageServer,
  ) {
    this.ui = page.frameLocator('iframe.plugin-frame');
    page.on('pageerror', (err) => this.errors.push(err.message));
  }

  /** Opens the plugin (a new window and main thread on the same file) and waits for its first screen. */
  async open(options: { allowDownloads?: boolean } = {}): Promise<void> {
    await this.page.evaluate((o) => sheetsDemo.openPlugin(o), options);
    await this.ui.locator('[data-test="pairing-screen"], [data-test="connected-screen"]').first().waitFor({ timeout: 10_000 });
  }

  async close(): Promise<void> {
    await this.page.evaluate(() => sheetsDemo.closePlugin());
  }

  /** Pastes a pairing code into the plugin window and presses Connect, as a designer does. */
  async pair(code: string): Promise<void> {
    await this.ui.locator('[data-test="pairing-code"]').fill(code);
    await this.ui.locator('[data-test="connect"]').click();
  }

  statusLabel(): Promise<string | null> {
    return this.ui.locator('[data-test="status-label"]').textContent();
  }

  async waitForStatus(label: string | RegExp, timeoutMs = 10_000): Promise<void> {
    await this.ui.locator('[data-test="status-label"]', { hasText: label }).waitFor({ timeout: timeoutMs });
  }

  /** Waits until the main thread has applied `seq` (or later) of the channel. Returns the last applied record. */
  async waitApplied(seq: number, timeoutMs = 20_000): Promise<AppliedRecord> {
    try {
      await this.page.waitForFunction((s) => sheetsDemo.applied().some((a) => a.seq >= s), seq, { timeout: timeoutMs, polling: 20 });
    } catch (err) {
      const applied = await this.applied();
      const label = await this.statusLabel().catch(() => null);
      throw new Error(`the plugin did not apply seq ${seq} within ${timeoutMs} ms (applied: ${JSON.stringify(applied.slice(-3).map((a) => a.seq))}, status: ${label}): ${(err as Error).message}`);
    }
    const applied = await this.applied();
    return applied[applied.length - 1]!;
  }

  applied(): Promise<AppliedRecord[]> {
    return this.page.evaluate(() => sheetsDemo.applied());
  }

  lastApplied(): Promise<AppliedMessage | undefined> {
    return this.page.evaluate(() => sheetsDemo.lastApplied());
  }

  posted(): Promise<MainToUi[]> {
    return this.page.evaluate(() => sheetsDemo.posted());
  }

  /** The file's variables as a model; orphans left out unless asked for. */
  model(exceptOrphans = true): Promise<FileModel> {
    return this.page.evaluate((except) => sheetsDemo.model(except), exceptOrphans);
  }

  variables(): Promise<FoundVariable[]> {
    return this.page.evaluate(() => sheetsDemo.variables());
  }

  orphans(): Promise<Orphan[]> {
    return this.page.evaluate(() => sheetsDemo.orphans());
  }

  bindNode(collection: string, name: string): Promise<{ nodeId: string; variableId: string } | undefined> {
    return this.page.evaluate(([c, n]) => sheetsDemo.bindNode(c!, n!), [collection, name]);
  }

  boundVariable(nodeId: string): Promise<string | undefined> {
    return this.page.evaluate((id) => sheetsDemo.boundVariable(id), nodeId);
  }

  /** Gives the page's Figma file collections and variables made by hand, before the sync. */
  seedExisting(spec: SeedCollection[]): Promise<void> {
    return this.page.evaluate((s) => sheetsDemo.seedExisting(s), spec);
  }

  collectionsNamed(name: string): Promise<number> {
    return this.page.evaluate((n) => sheetsDemo.collectionsNamed(n), name);
  }

  /** The value the node's bound variable has in a mode, aliases followed. */
  boundValue(nodeId: string, mode: string): Promise<unknown> {
    return this.page.evaluate(([id, m]) => sheetsDemo.boundValue(id!, m!), [nodeId, mode]);
  }

  variableWrites(): Promise<number> {
    return this.page.evaluate(() => sheetsDemo.variableWrites());
  }

  /**
   * The plugin window alone (360 × 560), as a clip of the page: an element screenshot of the iframe
   * can leave Chromium hit-testing the window's next clicks off target (ui-in-chromium.test.ts).
   */
  async windowScreenshot(name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    const box = await this.page.locator('iframe.plugin-frame').boundingBox();
    if (!box) throw new Error('the plugin window is not shown');
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`), clip: box });
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
  }
}

/** Serves the host page for tests (no sheet column) and opens it in a new page of `browser`. */
export async function openPluginPage(browser: Browser, uiHtml: string, pageScript: string, onClose: (close: () => Promise<void>) => void): Promise<PluginPage> {
  const server = await servePage({
    uiHtml,
    pageScript,
    page: { title: 'Sheets → Figma: end-to-end', subtitle: 'The plugin on the Figma fake, against a real relay', activity: false, config: { autoOpen: false, events: false } },
  });
  onClose(() => server.close());
  const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
  onClose(() => page.close());
  const plugin = new PluginPage(page, server);
  await page.goto(server.url);
  await page.waitForFunction(() => typeof sheetsDemo === 'object');
  return plugin;
}
