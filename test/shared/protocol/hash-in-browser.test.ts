// Shows that a browser (headless Chromium) computes the same canonical hash three ways: node:crypto in
// Node (the vectors), the browser's own crypto.subtle following the written definition, and the bundled
// shared code; and that the bundled incremental grid digest agrees after patches, in the page.

import { join } from 'node:path';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { applyChange, emptyGrid, type Rows } from '../../../shared/protocol/grid';
import type { Change } from '../../../shared/protocol/messages';
import { launchChromium } from '../../helpers/chromium';
import { BIG, BIG_TAB, VECTOR, VECTOR_TABS } from '../../helpers/hash-vectors';

/** More grids: empty, unicode outside the BMP, a lone surrogate, many numbers. */
const MORE_GRIDS: { tabId: number; name: string; rows: Rows }[][] = [
  [],
  [{ tabId: 3, name: '数据', rows: [['名前', '値'], ['😀', 0.1], ['\ud800', -1e-7]] }],
  [{ tabId: 2 ** 31 - 1, name: 'Big', rows: Array.from({ length: 700 }, (_, r) => Array.from({ length: 8 }, (_, c) => ((r + c) % 3 === 0 ? '' : r * 8 + c + 0.5))) }],
];

/** Patches applied in the page to a digest of BIG_TAB: within a chunk, across a boundary, far below, then clearing the end. */
const PATCHES: Pick<Change, 'kind' | 'tabs'>[] = [
  { kind: 'patch', tabs: [{ tabId: 7, name: 'Big', ranges: [{ row: 300, col: 2, values: [['changed ✓']] }] }] },
  { kind: 'patch', tabs: [{ tabId: 7, name: 'Big renamed', ranges: [{ row: 255, col: 1, values: [['a'], ['b'], ['c']] }] }] },
  { kind: 'patch', tabs: [{ tabId: 9, name: 'New', ranges: [{ row: 2000, col: 3, values: [[true]] }] }] },
  { kind: 'patch', tabs: [{ tabId: 7, name: 'Big renamed', ranges: [{ row: 200, col: 1, values: Array.from({ length: 500 }, () => ['', '']) }] }] },
];

describe('canonical hash in Chromium', () => {
  let browser: Browser | undefined;
  let page: Page;

  afterAll(async () => {
    await browser?.close();
  });

  beforeAll(async () => {
    const bundle = await build({
      stdin: {
        contents: "export * from '../shared/protocol/canonical-hash'; export { GridDigest } from '../shared/protocol/grid-digest';",
        resolveDir: join(__dirname, '../..'),
        loader: 'ts',
      },
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

  /** The definition of docs/protocol.md written again in the page, with crypto.subtle and TextEncoder. */
  const subtleHash = (tabs: unknown): Promise<string> =>
    page.evaluate(async (input) => {
      const hex = async (text: string): Promise<string> =>
        Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, '0')).join('');
      const sorted = [...(input as { tabId: number; name: string; rows: unknown[][] }[])].sort((a, b) => a.tabId - b.tabId);
      let gridText = '';
      for (const tab of sorted) {
        const texts = tab.rows.map((row) => {
          let n = row.length;
          while (n > 0 && row[n - 1] === '') n--;
          return JSON.stringify(row.slice(0, n));
        });
        while (texts.length > 0 && texts[texts.length - 1] === '[]') texts.pop();
        let tabText = `${JSON.stringify([tab.tabId, tab.name, texts.length])}\n`;
        for (let i = 0; i < texts.length; i += 256) tabText += `${await hex(texts.slice(i, i + 256).map((t) => `${t}\n`).join(''))}\n`;
        gridText += `${await hex(tabText)}\n`;
      }
      return hex(gridText);
    }, tabs);

  /** gridHash of the shared code, bundled and run in the page. */
  const bundledHash = (tabs: unknown): Promise<string> =>
    page.evaluate((t) => (globalThis as unknown as { canonicalHash: { gridHash(g: unknown): string } }).canonicalHash.gridHash({ tabs: t }), tabs);

  it('the page is a secure context with crypto.subtle', async () => {
    expect(await page.evaluate(() => [window.isSecureContext, typeof crypto.subtle.digest])).toEqual([true, 'function']);
  });

  it('crypto.subtle and the bundled shared code give the documented hashes of the test vectors', async () => {
    expect([await subtleHash(VECTOR_TABS), await bundledHash(VECTOR_TABS)]).toEqual([VECTOR.grid, VECTOR.grid]);
    const both = [...VECTOR_TABS, BIG_TAB];
    expect([await subtleHash(both), await bundledHash(both)]).toEqual([BIG.withVector, BIG.withVector]);
  });

  it('Node, crypto.subtle and the bundled code agree on an empty grid, unicode, a lone surrogate and a larger grid', async () => {
    for (const tabs of MORE_GRIDS) {
      const expected = gridHash({ tabs });
      expect([await subtleHash(tabs), await bundledHash(tabs)]).toEqual([expected, expected]);
    }
  });

  it('the bundled incremental digest, patched in the page, gives the hash of the patched grid', async () => {
    let grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: [{ tabId: 7, name: 'Big', values: BIG_TAB.rows }] });
    const expected: string[] = [];
    for (const patch of PATCHES) {
      grid = applyChange(grid, patch);
      expected.push(gridHash(grid));
    }
    const inPage = await page.evaluate(
      ({ tab, patches }) => {
        const { GridDigest } = (globalThis as unknown as { canonicalHash: { GridDigest: { of(g: unknown): { apply(c: unknown): unknown; hash: string } } } }).canonicalHash;
        let digest = GridDigest.of({ tabs: [tab] });
        return patches.map((p) => {
          digest = digest.apply(p) as typeof digest;
          return digest.hash;
        });
      },
      { tab: BIG_TAB, patches: PATCHES },
    );
    expect(inPage).toEqual(expected);
  });
});
