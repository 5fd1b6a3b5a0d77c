// Structural changes reach the relay through onChange: rows inserted or removed send the tab's
// whole values, tab renames and added or removed tabs send a snapshot, other tabs send nothing.

import { connectedWorld, expectedGrid, sentChange } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';

describe('structural changes', () => {
  const h = useHarness();

  it('inserting a row sends the tab’s whole values in one patch', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.insertRows('Colors', 2, 1);
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['patch', 200]]);
    expect(sentChange(world, 0).tabs).toEqual([{ tabId: 0, name: 'Colors', values: expectedGrid(world, ['Colors']).tabs[0]!.rows }]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('removing rows sends the tab’s whole values in one patch', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.deleteRows('Sizes', 2, 1);
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['patch', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('inserting a row in a tab that does not sync sends nothing', async () => {
    const { world } = await connectedWorld(h);
    world.insertRows('Notes', 1, 3);
    expect(world.fetches).toEqual([]);
  });

  it('renaming a synced tab sends a snapshot with the new name (the collection is renamed, the tab id stays)', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.renameTab('Colors', 'Palette');
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['snapshot', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Palette', 'Sizes']));
    expect(mirror.grid.tabs.map((t) => [t.tabId, t.name])).toEqual([
      [0, 'Palette'],
      [world.spreadsheet.tab('Sizes').id, 'Sizes'],
    ]);
  });

  it('renaming a tab that does not sync sends nothing', async () => {
    const { world } = await connectedWorld(h);
    world.renameTab('Notes', 'Scratch');
    expect(world.fetches).toEqual([]);
  });

  it('a new tab with a Name header joins with a snapshot, and leaves with one when removed', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.addTab('Radii', [
      ['Name', 'Value'],
      ['radius/sm', 2],
    ]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes', 'Radii']));
    world.removeTab('Radii');
    await mirror.until(3);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([
      ['snapshot', 200],
      ['snapshot', 200],
    ]);
  });

  it('a new empty tab sends nothing', async () => {
    const { world } = await connectedWorld(h);
    world.addTab('Empty');
    expect(world.fetches).toEqual([]);
    expect(world.executions.filter((e) => e.error)).toEqual([]);
  });

  it('formatting changes send nothing', async () => {
    const { world } = await connectedWorld(h);
    world.fire('ON_CHANGE', () => ({ changeType: 'FORMAT' }));
    expect([world.fetches.length, world.callCount('DocumentLock.tryLock')]).toEqual([0, 0]);
  });
});
