import { aliasDepths, orderAliasOps, orderRenames, TEMPORARY_NAME_PREFIX, type PlannedRename, type SetAliasOp } from '../../../shared/plan/plan-order';

const cell = (c: string) => ({ tab: 'T', cell: c });

function rename(variable: string, from: string, to: string, row: number): PlannedRename {
  return { variable, from, to, cell: cell(`A${row}`) };
}

/** Runs renames against a name table the way Figma does, failing on a name that is taken. */
function simulate(holders: Map<string, string>, ops: { variable: string; name: string }[]): Map<string, string> {
  const names = new Map(holders);
  for (const op of ops) {
    const holder = names.get(op.name);
    if (holder !== undefined && holder !== op.variable) throw new Error(`${op.name} is taken by ${holder}`);
    for (const [name, id] of names) if (id === op.variable) names.delete(name);
    names.set(op.name, op.variable);
  }
  return names;
}

describe('orderRenames', () => {
  test('renames to free names keep their order', () => {
    const holders = new Map([
      ['a', 'v1'],
      ['b', 'v2'],
    ]);
    expect(orderRenames([rename('v1', 'a', 'x', 2), rename('v2', 'b', 'y', 3)], holders)).toEqual([
      { op: 'renameVariable', variable: 'v1', name: 'x', cell: cell('A2') },
      { op: 'renameVariable', variable: 'v2', name: 'y', cell: cell('A3') },
    ]);
  });

  test('a chain runs from its free end: a → b while b → c runs b → c first', () => {
    const holders = new Map([
      ['a', 'v1'],
      ['b', 'v2'],
    ]);
    const ops = orderRenames([rename('v1', 'a', 'b', 2), rename('v2', 'b', 'c', 3)], holders);
    expect(ops).toEqual([
      { op: 'renameVariable', variable: 'v2', name: 'c', cell: cell('A3') },
      { op: 'renameVariable', variable: 'v1', name: 'b', cell: cell('A2') },
    ]);
    expect(simulate(holders, ops)).toEqual(new Map([['c', 'v2'], ['b', 'v1']]));
  });

  test('a cycle moves one variable through a temporary name', () => {
    const holders = new Map([
      ['a', 'v1'],
      ['b', 'v2'],
      ['c', 'v3'],
    ]);
    const ops = orderRenames([rename('v1', 'a', 'b', 2), rename('v2', 'b', 'c', 3), rename('v3', 'c', 'a', 4)], holders);
    expect(ops).toEqual([
      { op: 'renameVariable', variable: 'v1', name: `${TEMPORARY_NAME_PREFIX}1`, cell: cell('A2') },
      { op: 'renameVariable', variable: 'v3', name: 'a', cell: cell('A4') },
      { op: 'renameVariable', variable: 'v2', name: 'c', cell: cell('A3') },
      { op: 'renameVariable', variable: 'v1', name: 'b', cell: cell('A2') },
    ]);
    expect(simulate(holders, ops)).toEqual(new Map([['a', 'v3'], ['c', 'v2'], ['b', 'v1']]));
  });

  test('a temporary name already in use is skipped', () => {
    const holders = new Map([
      ['a', 'v1'],
      ['b', 'v2'],
      [`${TEMPORARY_NAME_PREFIX}1`, 'v9'],
    ]);
    const ops = orderRenames([rename('v1', 'a', 'b', 2), rename('v2', 'b', 'a', 3)], holders);
    expect(ops[0]).toEqual({ op: 'renameVariable', variable: 'v1', name: `${TEMPORARY_NAME_PREFIX}2`, cell: cell('A2') });
    expect(simulate(holders, ops).get('a')).toBe('v2');
  });

  test('a name held by a variable that is not renamed is still attempted, for Figma to refuse on that cell', () => {
    const holders = new Map([
      ['a', 'v1'],
      ['b', 'other'],
    ]);
    expect(orderRenames([rename('v1', 'a', 'b', 2)], holders)).toEqual([{ op: 'renameVariable', variable: 'v1', name: 'b', cell: cell('A2') }]);
  });

  test('a long reversed chain is ordered in one pass and runs without a clash', () => {
    const n = 2000;
    const holders = new Map<string, string>();
    const renames: PlannedRename[] = [];
    for (let i = 0; i < n; i++) {
      holders.set(`n${i}`, `v${i}`);
      renames.push(rename(`v${i}`, `n${i}`, `n${i + 1}`, i + 2));
    }
    const ops = orderRenames(renames, holders);
    expect(ops).toHaveLength(n);
    expect(ops[0]).toEqual({ op: 'renameVariable', variable: `v${n - 1}`, name: `n${n}`, cell: cell(`A${n + 1}`) });
    expect(simulate(holders, ops).get(`n${n}`)).toBe(`v${n - 1}`);
  });
});

describe('aliasDepths and orderAliasOps', () => {
  const setAlias = (variable: string, target: string): SetAliasOp => ({ op: 'setAlias', variable, mode: 'm', target, cell: cell('B2') });

  test('depth is the longest alias chain below a variable', () => {
    const edges = new Map([
      ['x', ['t']],
      ['t', ['u']],
      ['y', ['u', 't']],
    ]);
    expect(aliasDepths(edges)).toEqual(
      new Map([
        ['u', 0],
        ['t', 1],
        ['x', 2],
        ['y', 2],
      ]),
    );
  });

  test('alias writes run deepest target first, keeping their order within a depth', () => {
    const edges = new Map([
      ['x', ['t']],
      ['t', ['u']],
      ['a', ['u']],
    ]);
    const ops = [setAlias('x', 't'), setAlias('a', 'u'), setAlias('t', 'u')];
    expect(orderAliasOps(ops, edges)).toEqual([setAlias('a', 'u'), setAlias('t', 'u'), setAlias('x', 't')]);
  });

  test('a cycle through different modes does not hang and every variable gets a depth', () => {
    const edges = new Map([
      ['a', ['b']],
      ['b', ['a']],
    ]);
    const depths = aliasDepths(edges);
    expect([...depths.keys()].sort()).toEqual(['a', 'b']);
  });

  test('a chain of 10,000 aliases is walked without recursion', () => {
    const edges = new Map<string, string[]>();
    for (let i = 0; i < 10_000; i++) edges.set(`v${i}`, [`v${i + 1}`]);
    expect(aliasDepths(edges).get('v0')).toBe(10_000);
  });
});
