// Pieces of the end-to-end chain, wired as in production: the built add-on in the Apps Script fakes
// with the example sheet (posting to a relay process over real HTTP), and the plugin (window and
// main thread on the Figma fake) in Chromium. Each piece registers its teardown as it starts.

import type { Browser } from 'playwright-core';
import type { SidebarState } from '../../apps-script/core/sidebar-state';
import { createAddonWorld, type AddonWorld } from '../fakes/apps-script/run-addon';
import { buildProduct, type BuiltProduct } from './e2e-build';
import { launchChromium, openPluginPage, type PluginPage } from './e2e-browser';
import { withoutSkippedRows, type FileModel } from './e2e-file-model';
import { loadExampleSheet, OWNER, sheetMeaning, sidebar, type SheetMeaning } from './e2e-sheet';
import type { Teardown } from './e2e-teardown';

export { OWNER };

/** A spreadsheet holding the example tabs (or, with `example: false`, one empty tab), run by the built add-on. */
export async function startSheet(teardown: Teardown, options: { fetchTimeoutMs?: number; product?: BuiltProduct; example?: boolean } = {}): Promise<AddonWorld> {
  const product = options.product ?? (await buildProduct());
  if (!options.product) teardown.add('build', () => product.remove());
  const world = createAddonWorld({ users: [OWNER], distDir: product.addonDist, title: 'Design tokens', fetchTimeoutMs: options.fetchTimeoutMs ?? 5000 });
  teardown.add('add-on world', () => world.close());
  if (options.example === false) world.spreadsheet.addSheet('Sheet1');
  else loadExampleSheet(world);
  // The test flag that lets the add-on use plain http on loopback (production demands https).
  world.allowInsecureRelay();
  return world;
}

/** Chromium with the host page open (the plugin not yet opened). */
export async function startFigma(teardown: Teardown, options: { product?: BuiltProduct; browser?: Browser } = {}): Promise<PluginPage> {
  const product = options.product ?? (await buildProduct());
  if (!options.product) teardown.add('build', () => product.remove());
  let browser = options.browser;
  if (!browser) {
    const launched = await launchChromium();
    teardown.add('chromium', () => launched.close());
    browser = launched;
  }
  return openPluginPage(browser, product.uiHtml, product.pageScript, (close) => teardown.add('plugin page', close));
}

/** Connects the sheet to the relay at `relayUrl` from the sidebar, as the owner does; returns the pairing code. */
export function connectSheet(world: AddonWorld, relayUrl: string): string {
  const state = world.run(OWNER, 'connect', [relayUrl]) as SidebarState;
  if (!state.connected || !state.pairingCode) throw new Error(`connect did not connect: ${JSON.stringify(state.status)}`);
  return state.pairingCode;
}

/** The seq of the last change the relay acknowledged to the add-on, and what waits in its queue. */
export function addonPosition(world: AddonWorld): { seq: number; queued: number; status: SidebarState['status'] } {
  const state = sidebar(world);
  return { seq: state.seq ?? -1, queued: state.status.queued, status: state.status };
}

export interface Settled {
  state: SidebarState;
  sheet: SheetMeaning;
  /** The fake file's variables, without orphans and without the variables of rows the mapper skipped. */
  figma: FileModel;
}

/**
 * Waits until the plugin has applied the last change the relay acknowledged to the add-on, then
 * reads both ends: what the sheet means (mapper) and what the Figma fake holds (orphans left out).
 */
export async function settle(world: AddonWorld, plugin: PluginPage, timeoutMs = 20_000): Promise<Settled> {
  const state = sidebar(world);
  if (state.seq === undefined) throw new Error(`the add-on has no acknowledged change yet: ${JSON.stringify(state.status)}`);
  await plugin.waitApplied(state.seq, timeoutMs);
  const sheet = sheetMeaning(world, state);
  return { state, sheet, figma: withoutSkippedRows(await plugin.model(true), sheet.mapped) };
}
