// Property: after any sequence of syncs, the mirror kept up to date op by op agrees with the file.
// Neither the running session nor a fresh one (which reads the file anew) finds anything to write.

import fc from 'fast-check';
import type { CellValue, Grid, Rows } from '../../../shared/protocol/grid';
import { grid, startHarness, tab } from '../../fakes/figma/plugin-harness';

const MODES = ['Light', 'Dark', 'Contrast'];
const NAMES = ['color/a', 'color/b', 'color/c', 'size/a', 'size/b'];

const cellFor = (name: string, pick: number, others: string[]): CellValue => {
  if (pick % 5 === 4 && others.length > 0) return `{${others[pick % others.length]}}`;
  if (name.startsWith('size/')) return (pick % 4) + 1;
  return ['#112233', '#445566', '#778899', '#aabbcc'][pick % 4]!;
};

const tabArb = (tabId: number, name: string) =>
  fc
    .record({
      modes: fc.subarray(MODES, { minLength: 1 }),
      rows: fc.subarray(NAMES, { minLength: 1 }),
      picks: fc.array(fc.nat(20), { minLength: 15, maxLength: 15 }),
    })
    .map(({ modes, rows, picks }) => {
      const out: Rows = [['Name', ...modes]];
      rows.forEach((row, r) => {
        // Aliases only to rows of the same kind above this one, so they are acyclic and type-matched.
        const earlier = rows.slice(0, r).filter((o) => o.split('/')[0] === row.split('/')[0]);
        out.push([row, ...modes.map((_, m) => cellFor(row, picks[(r * 3 + m) % picks.length]!, earlier))]);
      });
      return tab(tabId, name, out);
    });

const gridArb: fc.Arbitrary<Grid> = fc
  .tuple(tabArb(1, 'Theme'), fc.option(tabArb(2, 'Extra'), { nil: undefined }), fc.boolean())
  .map(([theme, extra, renamed]) => grid({ ...theme, name: renamed ? 'Theme renamed' : 'Theme' }, ...(extra ? [extra] : [])));

test('after any sequence of syncs, re-applying the last grid writes nothing, in this session or a fresh one', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(gridArb, { minLength: 1, maxLength: 4 }), async (grids) => {
      const h = await startHarness();
      let seq = 0;
      for (const g of grids) await h.apply(g, ++seq);
      const last = grids[grids.length - 1]!;

      h.fake.log.reset();
      await h.apply(last, seq);
      expect(h.fake.log.byName('write')).toEqual({});

      const fresh = h.reopen();
      await fresh.apply(last, seq);
      expect(h.fake.log.byName('write')).toEqual({});
    }),
    { numRuns: 60 },
  );
});
