// What the trigger events do not say, or never deliver: onChange names no sheet (and the active
// sheet need not be the changed tab), edit events can be dropped in a burst, and an add-on's
// hourly trigger may run without a document. Whatever changed is found by comparing each synced
// tab with what was last sent, and nothing stays unsent.

import { connectedWorld, expectedGrid, OWNER, sentChange } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';

describe('events that name no tab, or never come', () => {
  const h = useHarness();

  it('rows inserted on a synced tab that is not the active one arrive (the change event names no sheet)', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.insertRows('Sizes', 2, 1, 'Notes');
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['patch', 200]]);
    expect(sentChange(world, 0).tabs.map((t) => t.name)).toEqual(['Sizes']);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('rows inserted on a tab that does not sync send nothing, even while a synced tab is active', async () => {
    const { world } = await connectedWorld(h);
    world.insertRows('Notes', 1, 2, 'Colors');
    expect(world.fetches).toEqual([]);
  });

  it('an edit whose events were dropped (the last of a burst) is sent by the next trigger of any kind', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.edit(OWNER, 'Colors', 'B2', [['#101010']]);
    world.edit(OWNER, 'Sizes', 'B2', [[12]], { triggers: false });
    expect(world.fetches).toHaveLength(1);
    world.insertRows('Notes', 1, 1, 'Notes');
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([
      ['patch', 200],
      ['patch', 200],
    ]);
    expect(sentChange(world, 1).tabs.map((t) => t.name)).toEqual(['Sizes']);
    await mirror.until(3);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('an edit whose events were dropped is sent while the sidebar is open (its refresh), and only once', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.edit(OWNER, 'Colors', 'B3', [['#202020']], { triggers: false });
    world.run(OWNER, 'refreshStatus');
    world.run(OWNER, 'refreshStatus');
    const posts = world.fetches.filter((f) => f.method === 'post');
    expect(posts.map((f) => [JSON.parse(f.bodyText).kind, f.status])).toEqual([['patch', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  describe.each(['present', 'absent'] as const)('the hourly trigger with the document %s', (doc) => {
    it('never throws; it sends what waits when it has the document, and otherwise the next edit does', async () => {
      const { world, mirror } = await connectedWorld(h);
      world.clockTriggerDocument = doc;
      await h.gate.set({ kind: 'refuse' });
      try {
        world.edit(OWNER, 'Colors', 'B2', [['#303030']]);
      } finally {
        await h.gate.set({ kind: 'open' });
      }
      world.advance(10_000); // past the first backoff, well within the relay's 5-minute clock skew
      world.resetCounters();
      expect(world.hourly()).toEqual([]);
      if (doc === 'present') {
        expect(world.fetches.map((f) => f.status)).toEqual([200]);
      } else {
        expect(world.fetches).toEqual([]);
        world.edit(OWNER, 'Colors', 'B3', [['#404040']]);
        expect(world.fetches.map((f) => f.status)).toEqual([200, 200]);
      }
      await mirror.until(doc === 'present' ? 2 : 3);
      expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    });

    it('catches a value that moved without an edit (a formula) when it has the document', async () => {
      let rate = 2;
      const { world, mirror } = await connectedWorld(h, (w) => w.spreadsheet.tab('Sizes').setFormula(3, 2, () => 4 * rate));
      world.clockTriggerDocument = doc;
      rate = 5;
      expect(world.hourly()).toEqual([]);
      if (doc === 'absent') {
        expect(world.fetches).toEqual([]);
        return;
      }
      expect(world.fetches.map((f, i) => [sentChange(world, i).kind, sentChange(world, i).tabs.map((t) => t.name), f.status])).toEqual([['patch', ['Sizes'], 200]]);
      await mirror.until(2);
      expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    });
  });
});
