import type { FileCollection, FileState, FileVariable, MappedCollection, VariableType } from '../../../shared/sheet/model';
import { isKnownType } from '../../../shared/sheet/figma-rules';
import { isManaged, matchCollections, matchModes, matchVariables } from '../../../shared/plan/plan-match';
import { tab } from '../../helpers/plan-fixtures';

const COLLECTION = 'VariableCollectionId:1:1';

function collection(id: string, name: string, extra: Partial<FileCollection> = {}): FileCollection {
  return { id, name, remote: false, modes: [{ modeId: `${id}/m1`, name: 'Value' }], defaultModeId: `${id}/m1`, ...extra };
}

/** A sync-created variable recorded at `row` under `rowName` (its Figma name is `name`, the row name unless given). */
function synced(id: string, rowName: string, row: number, type: VariableType | string = 'FLOAT', name = rowName, orphaned = false): FileVariable {
  return {
    id,
    name,
    collectionId: COLLECTION,
    resolvedType: type,
    valuesByMode: {},
    description: '',
    hidden: false,
    scopes: ['ALL_SCOPES'],
    codeSyntax: {},
    remote: false,
    origin: { tabId: 1, rowName, row, ...(orphaned ? { orphaned: true } : {}) },
  };
}

function handMade(id: string, name: string, type = 'FLOAT'): FileVariable {
  const { origin: _origin, ...rest } = synced(id, name, 1, type);
  return rest;
}

/** A one-mode tab (id 1) with rows given as [name, row, type?]. */
function rows(list: [string, number, VariableType?][]): MappedCollection {
  return tab(1, 'T', ['Value'], list.map(([name, row, type]) => ({ name, row, type: type ?? 'FLOAT', values: [type === 'STRING' ? 's' : 1] })));
}

/** Row name → [variable id, how], for compact assertions. */
function pairs(tab: MappedCollection, variables: FileVariable[]): Record<string, [string, string]> {
  const m = matchVariables(tab, variables);
  const out: Record<string, [string, string]> = {};
  for (const [row, { variable, by }] of m.matched) out[row.name] = [variable.id, by];
  return out;
}

describe('matchCollections', () => {
  test('pairs a tab only with the local collection recording its tab id, never by name', () => {
    const byName = collection('c1', 'Colors');
    const byOrigin = collection('c2', 'Old name', { origin: { tabId: 7, modeColumns: {} } });
    const remote = collection('c3', 'Colors', { remote: true, origin: { tabId: 7, modeColumns: {} } });
    const file: FileState = { collections: [byName, remote, byOrigin], variables: [] };
    const m = matchCollections([{ tabId: 7, name: 'Colors', modes: [], variables: [] }], file);
    expect(m).toEqual({ byTab: new Map([[7, byOrigin]]), unmapped: [], duplicates: [], namesakes: new Map() });
  });

  test('a sync-made collection of a tab no longer mapped is unmapped', () => {
    const gone = collection('c1', 'Gone', { origin: { tabId: 3, modeColumns: {} } });
    expect(matchCollections([], { collections: [gone], variables: [] })).toEqual({ byTab: new Map(), unmapped: [gone], duplicates: [], namesakes: new Map() });
  });

  test('a second collection claiming the same tab is a duplicate and the first one is kept', () => {
    const first = collection('c1', 'Colors', { origin: { tabId: 7, modeColumns: {} } });
    const copy = collection('c2', 'Colors copy', { origin: { tabId: 7, modeColumns: {} } });
    const m = matchCollections([{ tabId: 7, name: 'Colors', modes: [], variables: [] }], { collections: [first, copy], variables: [] });
    expect(m).toEqual({ byTab: new Map([[7, first]]), unmapped: [], duplicates: [{ tabId: 7, kept: first, ignored: copy }], namesakes: new Map() });
  });
});

test('a tab without a collection of its own lists the local collections of its exact name the sync did not create, never a library one', () => {
  const handMade = collection('c1', 'Colors');
  const other = collection('c2', 'colors');
  const library = collection('c3', 'Colors', { remote: true });
  const m = matchCollections([{ tabId: 7, name: 'Colors', modes: [], variables: [] }], { collections: [handMade, other, library], variables: [] });
  expect(m.namesakes).toEqual(new Map([[7, [handMade]]]));
});

describe('matchModes', () => {
  const existing = collection('c', 'T', {
    modes: [
      { modeId: 'm1', name: 'Light' },
      { modeId: 'm2', name: 'Dark' },
    ],
    defaultModeId: 'm1',
    origin: { tabId: 1, modeColumns: { m1: 2, m2: 3 } },
  });

  test('modes with the same names are kept, whatever their columns', () => {
    expect(matchModes([{ name: 'Dark', column: 2 }, { name: 'Light', column: 3 }], existing)).toEqual({
      kept: [
        { mode: { name: 'Dark', column: 2 }, modeId: 'm2', renamed: false },
        { mode: { name: 'Light', column: 3 }, modeId: 'm1', renamed: false },
      ],
      added: [],
      removed: [],
      untouched: [],
    });
  });

  test('an unmatched mode recorded at the column of an unmatched sheet mode is renamed', () => {
    expect(matchModes([{ name: 'Light', column: 2 }, { name: 'Night', column: 3 }], existing)).toEqual({
      kept: [
        { mode: { name: 'Light', column: 2 }, modeId: 'm1', renamed: false },
        { mode: { name: 'Night', column: 3 }, modeId: 'm2', renamed: true },
      ],
      added: [],
      removed: [],
      untouched: [],
    });
  });

  test('a sheet mode at a new column is added and a Figma mode no longer in the sheet is removed', () => {
    expect(matchModes([{ name: 'Light', column: 2 }, { name: 'Night', column: 4 }], existing)).toEqual({
      kept: [{ mode: { name: 'Light', column: 2 }, modeId: 'm1', renamed: false }],
      added: [{ name: 'Night', column: 4 }],
      removed: [{ modeId: 'm2', name: 'Dark' }],
      untouched: [],
    });
  });

  test('when nothing matches, the default mode becomes the first sheet mode so one mode always stays', () => {
    const defaultSecond = { ...existing, defaultModeId: 'm2' };
    expect(matchModes([{ name: 'A', column: 7 }, { name: 'B', column: 8 }], defaultSecond)).toEqual({
      kept: [{ mode: { name: 'A', column: 7 }, modeId: 'm2', renamed: true }],
      added: [{ name: 'B', column: 8 }],
      removed: [{ modeId: 'm1', name: 'Light' }],
      untouched: [],
    });
  });

  test('a collection without recorded columns matches by name only', () => {
    const { origin: _origin, ...noOrigin } = existing;
    expect(matchModes([{ name: 'Light', column: 2 }, { name: 'Night', column: 3 }], noOrigin).added).toEqual([{ name: 'Night', column: 3 }]);
  });
});

describe('matchVariables', () => {
  test('rows find their variables by the row name the sync recorded, even when rows moved', () => {
    const vars = [synced('v1', 'a', 2), synced('v2', 'b', 3)];
    expect(pairs(rows([['b', 2], ['a', 5]]), vars)).toEqual({ a: ['v1', 'origin'], b: ['v2', 'origin'] });
  });

  test('a row renamed in place pairs with the one unclaimed variable between the same neighbours', () => {
    const vars = [synced('v1', 'a', 2), synced('v2', 'b', 3), synced('v3', 'c', 4)];
    expect(pairs(rows([['a', 2], ['b2', 3], ['c', 4]]), vars)).toEqual({ a: ['v1', 'origin'], b2: ['v2', 'order'], c: ['v3', 'origin'] });
  });

  test('rows inserted above a renamed row move its expected position by the same amount', () => {
    const vars = [synced('v1', 'a', 2), synced('v2', 'b', 3), synced('v3', 'z', 10, 'STRING')];
    // A new row above everything; b renamed; an unrelated STRING row z deleted, another added far below.
    const sheet = rows([['new', 2], ['a', 3], ['b2', 4], ['q', 20, 'STRING'], ['r', 21, 'STRING']]);
    expect(pairs(sheet, vars)).toEqual({ a: ['v1', 'origin'], b2: ['v2', 'row'] });
  });

  test('a variable between neighbours that moved by different amounts is not paired by position', () => {
    // x deleted and b renamed between a and c: b2's old row is a guess, so nothing pairs; both stay orphans.
    const vars = [synced('v1', 'a', 2), synced('vx', 'x', 3), synced('vb', 'b', 4), synced('vc', 'c', 5)];
    const m = matchVariables(rows([['a', 2], ['b2', 3], ['c', 4]]), vars);
    expect([...m.matched.keys()].map((r) => r.name)).toEqual(['a', 'c']);
    expect(m.orphans.map((v) => v.id)).toEqual(['vx', 'vb']);
  });

  test('what remains pairs in row order only when the counts and types line up', () => {
    const vars = [synced('v1', 'a', 2), synced('v2', 'b', 3, 'STRING')];
    expect(pairs(rows([['x', 7], ['y', 9, 'STRING']]), vars)).toEqual({ x: ['v1', 'order'], y: ['v2', 'order'] });
    expect(pairs(rows([['x', 7, 'STRING'], ['y', 9]]), vars)).toEqual({});
  });

  test('an unclaimed sync variable whose Figma name is a row name is adopted by that row', () => {
    const vars = [synced('v1', 'old', 2, 'FLOAT', 'wanted')];
    expect(pairs(rows([['wanted', 6], ['other', 7]]), vars)).toEqual({ wanted: ['v1', 'name'] });
  });

  test('a variable made by hand with a row name is a conflict, and that row\'s own variable is neither updated nor orphaned', () => {
    const mine = synced('v1', 'a', 2, 'FLOAT', 'a-old');
    const theirs = handMade('h1', 'a');
    const m = matchVariables(rows([['a', 2]]), [mine, theirs]);
    expect(m.conflicts).toEqual([{ row: expect.objectContaining({ name: 'a' }), holder: theirs }]);
    expect(m.matched.size).toBe(0);
    expect(m.orphans).toEqual([]);
  });

  test('a variable of a type the sync does not handle is never matched or orphaned, and its name is a conflict', () => {
    const easing = synced('e1', 'ease', 2, 'EASING');
    const m = matchVariables(rows([['ease', 2, 'STRING']]), [easing]);
    expect(m.conflicts).toEqual([{ row: expect.objectContaining({ name: 'ease' }), holder: easing }]);
    expect(m.orphans).toEqual([]);
    expect(matchVariables(rows([['other', 2]]), [easing]).orphans).toEqual([]);
  });

  test('a row whose type changed is a type change and its variable an orphan', () => {
    const v = synced('v1', 'a', 2, 'FLOAT');
    const m = matchVariables(rows([['a', 2, 'STRING']]), [v]);
    expect(m.typeChanges).toEqual([{ row: expect.objectContaining({ name: 'a', type: 'STRING' }), variable: v }]);
    expect(m.matched.size).toBe(0);
    expect(m.orphans).toEqual([v]);
  });

  test('variables no row claims are orphans in recorded row order', () => {
    const vars = [synced('v3', 'c', 4), synced('v1', 'a', 2), synced('v2', 'b', 3)];
    const m = matchVariables(rows([['b', 3]]), vars);
    expect(m.orphans.map((v) => v.id)).toEqual(['v1', 'v3']);
  });

  test('an old orphan does not pair by row order with a new row, but does come back at its exact row', () => {
    const orphan = synced('v9', 'gone', 5, 'FLOAT', 'gone', true);
    const anchorsAbove = [synced('v1', 'a', 2)];
    expect(pairs(rows([['a', 2], ['fresh', 9]]), [...anchorsAbove, orphan])).toEqual({ a: ['v1', 'origin'] });
    expect(pairs(rows([['a', 2], ['back', 5]]), [...anchorsAbove, orphan])).toEqual({ a: ['v1', 'origin'], back: ['v9', 'row'] });
  });

  test('a row the mapper left out for errors keeps its variable untouched instead of orphaned', () => {
    const vars = [synced('v1', 'a', 2), synced('v2', 'b', 3)];
    const sheet = { ...rows([['a', 2]]), skippedRows: [{ row: 3, name: 'b' }] };
    const m = matchVariables(sheet, vars);
    expect(m.untouched).toEqual([vars[1]]);
    expect(m.orphans).toEqual([]);
  });

  test('remote variables are ignored', () => {
    const remote = { ...synced('r1', 'a', 2), remote: true };
    const m = matchVariables(rows([['a', 2]]), [remote]);
    expect(m.matched.size).toBe(0);
    expect(m.conflicts).toEqual([]);
    expect(m.orphans).toEqual([]);
  });
});

describe('isKnownType and isManaged', () => {
  test('only the four types the sync writes are known', () => {
    expect(['COLOR', 'FLOAT', 'STRING', 'BOOLEAN', 'EASING', 'TIMING'].map(isKnownType)).toEqual([true, true, true, true, false, false]);
  });

  test('a variable is the sync\'s when it has an origin, is local and of a known type', () => {
    expect(isManaged(synced('v', 'a', 2))).toBe(true);
    expect(isManaged(handMade('h', 'a'))).toBe(false);
    expect(isManaged({ ...synced('v', 'a', 2), remote: true })).toBe(false);
    expect(isManaged(synced('v', 'a', 2, 'EASING'))).toBe(false);
  });
});
