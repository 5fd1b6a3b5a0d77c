// Runs the plugin's main thread against the fake Figma and talks to it as the UI iframe would.

import type { Grid, Rows, TabGrid } from '../../../shared/protocol/grid';
import type { MainToUi, UiToMain } from '../../../shared/plan/plugin-messages';
import { startPlugin, type PluginHandle, type PluginOptions } from '../../../figma-plugin/main/plugin-main';
import { createFakeFigma, type FakeFigma, type FakeFigmaOptions } from './fake-figma';

export function tab(tabId: number, name: string, rows: Rows): TabGrid {
  return { tabId, name, rows };
}

export function grid(...tabs: TabGrid[]): Grid {
  return { tabs: [...tabs].sort((a, b) => a.tabId - b.tabId) };
}

export type Applied = Extract<MainToUi, { type: 'applied' }>;

export interface Harness {
  fake: FakeFigma;
  plugin: PluginHandle;
  /** Sends a message as the UI and waits until the main thread has handled it. */
  send(message: UiToMain | Record<string, unknown>): Promise<void>;
  /** Applies a grid at seq (epoch "e1") and returns the `applied` report. */
  apply(g: Grid, seq?: number): Promise<Applied>;
  /** Starts a second session of the plugin on the same file (a collaborator, or a reopen). */
  reopen(): Harness;
}

export interface HarnessOptions extends FakeFigmaOptions, Pick<PluginOptions, 'cacheLimits' | 'cacheTiming' | 'random'> {
  chunkBudgetMs?: number;
  /** The periodic drift check: off unless a test asks (tests run checks with plugin.checkDrift()). */
  driftCheckMs?: number | 'off';
}

function attach(fake: FakeFigma, options: HarnessOptions): Harness {
  const plugin = startPlugin(fake.figma, {
    scheduler: fake.scheduler,
    ...(options.chunkBudgetMs !== undefined ? { chunkBudgetMs: options.chunkBudgetMs } : {}),
    ...(options.cacheLimits ? { cacheLimits: options.cacheLimits } : {}),
    ...(options.cacheTiming ? { cacheTiming: options.cacheTiming } : {}),
    ...(options.random ? { random: options.random } : {}),
    driftCheckMs: options.driftCheckMs ?? 'off',
  });
  const harness: Harness = {
    fake,
    plugin,
    async send(message) {
      fake.ui.deliver(message);
      await plugin.idle();
    },
    async apply(g, seq = 1) {
      const before = fake.ui.ofType('applied').length;
      await harness.send({ type: 'apply', position: { epoch: 'e1', seq }, grid: g });
      const applied = fake.ui.ofType('applied');
      if (applied.length !== before + 1) throw new Error(`expected one "applied" message; posted: ${fake.ui.sent.map((m) => m.type).join(', ')}`);
      return applied[applied.length - 1]!;
    },
    reopen: () => attach(fake, options),
  };
  return harness;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const harness = attach(createFakeFigma(options), options);
  await harness.plugin.idle();
  return harness;
}
