// The sidebar's data from the add-on: tabs to choose, problems from the mapper and from Figma
// files (each selecting its cell), and the Figma files with what they applied.

import type { SidebarState } from '../../apps-script/core/sidebar-state';
import { mapGrid } from '../../shared/sheet/mapper';
import { connectedWorld, expectedGrid, OWNER, sentChange, sidebarState } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';
import { ExecutionError } from '../fakes/apps-script/run-addon';

const TABS = {
  Colors: [
    ['Name', 'Value'],
    ['color/brand/primary', '#1a73e8'],
    ['color/brand/primary', '#ff0000'],
  ],
  Notes: [['Anything']],
  Sizes: [
    ['Name', 'Value'],
    ['space/sm', 4],
  ],
};

describe('the sidebar’s data', () => {
  const h = useHarness();

  it('lists every tab, synced by default when row 1 has a Name header', () => {
    const world = h.world({ tabs: TABS });
    const state = sidebarState(world);
    expect([state.connected, state.tabsMode, state.tabs]).toEqual([
      false,
      'auto',
      [
        { tabId: 0, name: 'Colors', synced: true, hasNameHeader: true },
        { tabId: world.spreadsheet.tab('Notes').id, name: 'Notes', synced: false, hasNameHeader: false },
        { tabId: world.spreadsheet.tab('Sizes').id, name: 'Sizes', synced: true, hasNameHeader: true },
      ],
    ]);
  });

  it('shows the mapper’s problems for the synced tabs, and selecting one shows its cell', () => {
    const world = h.world({ tabs: TABS });
    const state = sidebarState(world);
    const problems = mapGrid(expectedGrid(world, ['Colors', 'Sizes'])).problems;
    expect(problems.length).toBeGreaterThan(0);
    expect(state.problems).toEqual(problems.map((p) => ({ source: 'sheet', ...p })));
    const first = state.problems[0]!;
    world.run(OWNER, 'selectCell', [first.tab, first.cell]);
    expect(world.spreadsheet.activeRange).toEqual({ sheetId: world.spreadsheet.tab(first.tab).id, a1: first.cell });
  });

  it('refuses to select a cell on a tab that is gone, saying so', () => {
    const world = h.world({ tabs: TABS });
    let error: ExecutionError | undefined;
    try {
      world.run(OWNER, 'selectCell', ['Gone', 'A1']);
    } catch (err) {
      error = err as ExecutionError;
    }
    expect([error?.code, error?.message]).toEqual(['BAD_REQUEST', 'There is no tab named "Gone" any more (or no cell A1); refresh the sidebar to see the problems as they are now.']);
  });

  it('choosing tabs sends a snapshot of just those', async () => {
    const { world, mirror } = await connectedWorld(h, undefined, { tabs: TABS });
    const sizes = world.spreadsheet.tab('Sizes').id;
    const state = world.run(OWNER, 'setSyncedTabs', [[sizes]]) as SidebarState;
    expect([state.tabsMode, state.tabs.map((t) => t.synced)]).toEqual(['chosen', [false, false, true]]);
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['snapshot', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Sizes']));
    world.resetCounters();
    world.edit(OWNER, 'Colors', 'B2', [['#000000']]);
    expect(world.fetches).toEqual([]);
  });

  it('refuses tab ids that do not exist, with BAD_REQUEST', () => {
    const world = h.world({ tabs: TABS });
    let error: ExecutionError | undefined;
    try {
      world.run(OWNER, 'setSyncedTabs', [[0, 12345]]);
    } catch (err) {
      error = err as ExecutionError;
    }
    expect([error?.code, error?.message]).toEqual(['BAD_REQUEST', 'No tab has the id 12345; reopen the sidebar to see the tabs as they are.']);
  });

  it('refresh shows each Figma file with the seq it applied and the problems it reported', async () => {
    const { world, mirror } = await connectedWorld(h, undefined, { tabs: TABS });
    mirror.socket.send({ type: 'applied', seq: 1, errors: [{ tab: 'Colors', cell: 'B3', severity: 'error', message: 'Figma refused this value' }], errorCount: 1 });
    await h.relay.waitForLog((e) => e.msg === 'client applied' && e.seq === 1);
    const state = world.run(OWNER, 'refreshStatus') as SidebarState;
    expect(state.files).toEqual([{ id: expect.any(String), name: 'Mirror file', connectedAt: expect.any(Number), appliedSeq: 1, appliedAt: expect.any(Number), behind: 0, errorCount: 1 }]);
    expect(state.problems.filter((p) => p.source === 'figma')).toEqual([
      { source: 'figma', file: 'Mirror file', tab: 'Colors', cell: 'B3', severity: 'error', message: 'Figma refused this value' },
    ]);
    expect(world.fetches.map((f) => [f.method, f.url.replace(h.gate.url, ''), f.status])).toEqual([['get', `/v2/channels/${mirror.channelId}/status`, 200]]);
  });

  it('says why the Figma files are unknown when the relay does not answer', async () => {
    const { world } = await connectedWorld(h, undefined, { tabs: TABS });
    await h.gate.set({ kind: 'refuse' });
    try {
      const state = world.run(OWNER, 'refreshStatus') as SidebarState;
      expect([state.files, state.filesError?.startsWith('The relay could not be reached')]).toEqual([undefined, true]);
    } finally {
      await h.gate.set({ kind: 'open' });
    }
  });
});
