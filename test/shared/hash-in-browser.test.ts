// Shows that a browser (headless Chromium) computes the same canonical hash three ways: node:crypto
// in Node, the browser's own crypto.subtle over the canonical text, and the bundled shared code.

import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { canonicalText } from '../../shared/canonical-hash';
import type { Rows } from '../../shared/grid';
import { launchChromium } from '../helpers/chromium';

/** The test vector of docs/protocol.md (see canonical-hash.test.ts). */
const VECTOR_TABS: { tabId: number; name: string; rows: Rows }[] = [
  {
    tabId: 1843256789,
    name: 'Typographie — Überschriften',
    rows: [['Name', 'Value', ''], ['font/heading', 'Inter Display ✓', ''], ['flag/beta', true, ''], ['released', '2024-05-01T09:30:00.000Z', ''], ['size/body', 1.5, ''], ['', '', '']],
  },
  { tabId: 0, name: 'Colors 🎨', rows: [['Name', 'Light', 'Dark'], ['color/brand/primary', '#0066ff', ''], ['spacing/4', 16, false], []] },
];
const VECTOR_HASH = '01ab3808f50d55028fe123a5ebb4f3bb358cf6b161be8bbbe20cc98ca7cbffdf';

/** More grids: empty, unicode outside the BMP, a lone surrogate, many numbers. */
const MORE_GRIDS: { tabId: number; name: string; rows: Rows }[][] = [
  [],
  [{ tabId: 3, name: '数据', rows: [['名前', '値'], ['😀', 0.1], ['\ud800', -1e-7]] }],
  [{ tabId: 2 ** 31 - 1, name: 'Big', rows: Array.from({ length: 50 }, (_, r) => Array.from({ length: 8 }, (_, c) => (r + c) % 3 === 0 ? '' : r * 8 + c + 0.5)) }],
];

const nodeSha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('canonical hash in Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;

  afterAll(async () => {
    await browser?.close();
  });

  beforeAll(async () => {
    const bundle = await build({
      entryPoints: [join(__dirname, '../../shared/canonical-hash.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      globalName: 'canonicalHash',
      target: 'es2020',
      logLevel: 'silent',
    });
    browser = await launchChromium({ timeout: 20_000 });
    page = await browser.newPage();
    // crypto.subtle needs a secure context; a routed http://localhost page is one, and nothing leaves the machine.
    await page.route('http://localhost/hash.html', (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>hash</title>' }));
    await page.goto('http://localhost/hash.html');
    await page.addScriptTag({ content: bundle.outputFiles[0]!.text });
  }, 60_000);

  /** SHA-256 of the text with the browser's own crypto.subtle and TextEncoder. */
  const subtleHash = (text: string): Promise<string> =>
    page.evaluate(async (t) => {
      const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(t));
      return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
    }, text);

  /** gridHash of the shared code, bundled and run in the page. */
  const bundledHash = (tabs: unknown): Promise<string> =>
    page.evaluate((t) => (globalThis as unknown as { canonicalHash: { gridHash(g: unknown): string } }).canonicalHash.gridHash({ tabs: t }), tabs);

  /** canonicalText of the shared code, bundled and run in the page. */
  const bundledText = (tabs: unknown): Promise<string> =>
    page.evaluate((t) => (globalThis as unknown as { canonicalHash: { canonicalText(g: unknown): string } }).canonicalHash.canonicalText(t), tabs);

  it('the page is a secure context with crypto.subtle', async () => {
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle.digest])).toEqual([true, 'function']);
  });

  it('node:crypto, crypto.subtle and the bundled shared code give the documented hash of the test vector', async () => {
    const text = canonicalText(VECTOR_TABS);
    expect([nodeSha256(text), await subtleHash(text), await bundledHash(VECTOR_TABS)]).toEqual([VECTOR_HASH, VECTOR_HASH, VECTOR_HASH]);
  });

  it('the bundled code in the page builds the same canonical text as Node', async () => {
    for (const tabs of [VECTOR_TABS, ...MORE_GRIDS]) expect(await bundledText(tabs)).toBe(canonicalText(tabs));
  });

  it('the three agree on an empty grid, unicode, a lone surrogate and a larger grid', async () => {
    for (const tabs of MORE_GRIDS) {
      const text = canonicalText(tabs);
      const expected = nodeSha256(text);
      expect([await subtleHash(text), await bundledHash(tabs)]).toEqual([expected, expected]);
    }
  });
});
