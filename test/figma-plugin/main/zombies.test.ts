// Zombies: Figma can list variables of a collection that no longer exists, and reading them (or the
// collection) throws (Tokens Studio issues #3140 and #3045). One such object must not fail every sync
// of the file: the sync skips it and reports it. Figma's documentation is silent on which form a zombie
// takes, so each form the fake can produce is tried.

import { PLUGIN_NOTICE_CODES } from '../../../figma-plugin/main/figma-refusals';
import { grid, startHarness, tab } from '../../fakes/figma/plugin-harness';

const BASE = grid(
  tab(1, 'Colors', [
    ['Name', 'Light', 'Dark'],
    ['color/brand', '#0055ff', '#3377ff'],
    ['color/text', '#111111', '#eeeeee'],
  ]),
  tab(2, 'Spacing', [
    ['Name', 'Value'],
    ['space/1', 4],
  ]),
);

const FORMS = [
  { listed: false, variableReads: 'work' },
  { listed: false, variableReads: 'throw' },
  { listed: true, variableReads: 'work' },
  { listed: true, variableReads: 'throw' },
] as const;

describe.each(FORMS)('zombies (collection still listed: $listed, their variables read: $variableReads)', (form) => {
  test('a hand-made collection turned zombie does not stop the sync: everything else is applied and the zombies are reported once, as a warning', async () => {
    const h = await startHarness();
    const old = h.fake.variables.createVariableCollection('Old');
    h.fake.variables.createVariable('legacy/a', old, 'FLOAT');
    h.fake.variables.createVariable('legacy/b', old, 'FLOAT');
    h.fake.file.makeZombies(old, form);
    const applied = await h.apply(BASE);
    expect(applied.counts).toEqual({ created: 3, updated: 0, unchanged: 0 });
    const zombies = applied.problems.filter((p) => p.code === PLUGIN_NOTICE_CODES.unreadable);
    expect(zombies).toHaveLength(1);
    expect(zombies[0]).toMatchObject({ tab: '', cell: '', severity: 'warning' });
    expect(zombies[0]!.message).toContain(old.id);
    expect(applied.problems.filter((p) => p.code !== PLUGIN_NOTICE_CODES.unreadable)).toEqual([]);
    // The next apply still says so (it describes the file), and still applies.
    const again = await h.apply(BASE, 2);
    expect(again.problems.map((p) => p.code)).toEqual([PLUGIN_NOTICE_CODES.unreadable]);
  });

  test('when the sync\'s own collection turns zombie, the tab gets a new collection and the warning says which', async () => {
    const h = await startHarness();
    await h.apply(BASE);
    h.fake.file.makeZombies(h.fake.collectionNamed('Colors')!, form);
    const reopened = h.reopen();
    const applied = await reopened.apply(BASE, 2);
    expect(applied.counts).toEqual({ created: 2, updated: 0, unchanged: 1 });
    const [zombie] = applied.problems;
    expect(applied.problems).toHaveLength(1);
    expect(zombie).toMatchObject({ severity: 'warning', code: PLUGIN_NOTICE_CODES.unreadable });
    // The tab is named only when the zombies' marks could be read.
    expect(zombie!.tab).toBe(form.variableReads === 'work' ? 'Colors' : '');
  });
});
