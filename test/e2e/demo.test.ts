// `npm run demo` as a newcomer meets it: started as its own process (node demo/run.mjs, after the
// build), opened in Chromium, it pairs the plugin with the sheet on its own and shows a scripted
// edit landing in the Figma file's variables; Ctrl-C stops it and everything it started.

import { spawn, type ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import type { PageApi } from '../../demo/page/page-api';
import { ARTIFACTS, launchChromium } from '../helpers/e2e-browser';
import { buildProduct } from '../helpers/e2e-build';
import { projectRoot } from '../helpers/e2e-project-root';
import { Teardown } from '../helpers/e2e-teardown';

declare const sheetsDemo: PageApi;

const teardown = new Teardown();
let demo: ChildProcess;
let output = '';
let ready: { page: string; relay: string };
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

afterAll(() => teardown.close());

beforeAll(async () => {
  // The add-on and the plugin from a build of this test's own (other suites rebuild dist/ meanwhile).
  const product = await buildProduct();
  teardown.add('build', () => product.remove());
  demo = spawn(process.execPath, [join(projectRoot(), 'demo', 'run.mjs')], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DEMO_EDIT_MS: '700', DEMO_PORT: '0', PORT: '0', DEMO_DIST: dirname(product.addonDist) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  teardown.add('demo', async () => {
    if (demo.exitCode === null && demo.signalCode === null) {
      demo.kill('SIGKILL');
      await exited;
    }
  });
  demo.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  ready = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not get ready within 30 s:\n${output}`)), 30_000);
    demo.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      const line = output.split('\n').find((l) => l.startsWith('{"msg":"demo ready"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line) as { page: string; relay: string });
      }
    });
    void exited.then((code) => reject(new Error(`the demo exited (${code}) before it was ready:\n${output}`)));
  });
  browser = await launchChromium();
  teardown.add('chromium', () => browser.close());
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => pageErrors.push(err.message));
  await page.goto(ready.page);
}, 60_000);

test('the page pairs the plugin with the sheet by itself and shows the example variables', async () => {
  await page.waitForFunction(() => Number(document.body.dataset.applied) >= 1, undefined, { timeout: 20_000 });
  const names = await page.locator('button.collection .collection-name').allTextContents();
  expect(names).toEqual(['Primitives', 'Semantic', 'Typography', 'Flags']);
  await page.frameLocator('iframe.plugin-frame').locator('[data-test="status-label"]', { hasText: 'Live' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: join(ARTIFACTS, 'demo-paired.png') });
  expect(pageErrors).toEqual([]);
});

test('a scripted edit in the sheet shows up in the variables table, with its swatch, after a few hundred ms', async () => {
  // The first scripted step makes the brand blue #2f6bff.
  await page.waitForFunction(
    () => {
      const primitives = sheetsDemo.model().collections.find((c) => c.name === 'Primitives');
      const blue = primitives?.variables.find((v) => v.name === 'color/blue/500')?.valuesByMode.Value as { g?: number } | undefined;
      return blue !== undefined && Math.abs((blue.g ?? 0) - 0x6b / 255) < 1e-6;
    },
    undefined,
    { timeout: 20_000 },
  );
  await page.locator('[data-test="activity-edit"].done').first().waitFor({ timeout: 10_000 });
  await expect(page.locator('[data-test="activity-edit"].done .edit-applied').first().textContent()).resolves.toMatch(/^in Figma after \d+ ms$/);
  // Shown as Figma shows it: the row, its swatch and hex.
  await page.locator('button.collection', { hasText: 'Primitives' }).click();
  const row = page.locator('tr[data-variable="color/blue/500"]');
  await expect(row.locator('.value.color code').textContent()).resolves.toBe('#2f6bff');
  await page.screenshot({ path: join(ARTIFACTS, 'demo-edit.png') });
  // A few more edits later: an alias, a boolean, a new row.
  await page.waitForFunction(() => sheetsDemo.applied().length >= 6, undefined, { timeout: 20_000 });
  await page.locator('button.collection', { hasText: 'Semantic' }).click();
  await page.screenshot({ path: join(ARTIFACTS, 'demo-live.png') });
  expect(pageErrors).toEqual([]);
});

test('Ctrl-C stops the demo, its relay and its page', async () => {
  const exited = new Promise<number | null>((resolve) => demo.once('exit', (code) => resolve(code)));
  demo.kill('SIGINT');
  await expect(exited).resolves.toBe(0);
  expect(output).toContain('demo: stopped');
  const refused = (url: string) =>
    new Promise<string>((resolve) => {
      request(url, (res) => resolve(`answered ${res.statusCode}`))
        .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
        .end();
    });
  await expect(refused(`${ready.relay}/healthz`)).resolves.toBe('ECONNREFUSED');
  await expect(refused(ready.page)).resolves.toBe('ECONNREFUSED');
});
