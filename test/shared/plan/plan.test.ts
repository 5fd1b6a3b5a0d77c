import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Grid } from '../../../shared/protocol/grid';
import { mapGrid } from '../../../shared/sheet/mapper';
import type { FileState, FileVariable, MappedCollection, PlanOp } from '../../../shared/sheet/model';
import { planSync } from '../../../shared/plan/plan';
import { applyPlanToFileState } from '../../../shared/plan/plan-apply';
import { alias, collectionOf, EMPTY_FILE, figmaIds, rgba, syncedFile, tab, variableIn } from '../../helpers/plan-fixtures';

const WHITE = rgba(1, 1, 1);
const BLACK = rgba(0, 0, 0);
const BLUE = rgba(0, 0.4, 1);

/** Colors (tab 7): Light in B, Dark in C; bg a colour, fg an alias of bg, radius a number. */
function colors(overrides: { bgLight?: ReturnType<typeof rgba>; extraRows?: Parameters<typeof tab>[3] } = {}): MappedCollection {
  return tab(7, 'Colors', ['Light', 'Dark'], [
    { name: 'color/bg', type: 'COLOR', values: [overrides.bgLight ?? WHITE, BLACK] },
    { name: 'color/fg', type: 'COLOR', values: [alias('Colors', 'color/bg'), alias('Colors', 'color/bg')] },
    { name: 'radius/md', type: 'FLOAT', values: [8, 8] },
    ...(overrides.extraRows ?? []),
  ]);
}

function opsNamed(ops: PlanOp[], name: PlanOp['op']): PlanOp[] {
  return ops.filter((o) => o.op === name);
}

describe('a tab with no collection yet', () => {
  test('is created with its default mode renamed to the first mode, the other modes added, and every row created and filled', () => {
    const plan = planSync([colors()], EMPTY_FILE);
    const cell = (c: string) => ({ tab: 'Colors', cell: c });
    expect(plan).toEqual({
      ops: [
        { op: 'createCollection', ref: 'new:collection:7', tabId: 7, name: 'Colors', defaultMode: { ref: 'new:mode:7:2', name: 'Light', column: 2 } },
        { op: 'addMode', collection: 'new:collection:7', ref: 'new:mode:7:3', name: 'Dark', column: 3 },
        { op: 'setCollectionOrigin', collection: 'new:collection:7', tabId: 7, modeColumns: { 'new:mode:7:2': 2, 'new:mode:7:3': 3 } },
        { op: 'createVariable', ref: 'new:variable:7:color/bg', collection: 'new:collection:7', name: 'color/bg', type: 'COLOR', origin: { tabId: 7, rowName: 'color/bg', row: 2 }, cell: cell('A2') },
        { op: 'createVariable', ref: 'new:variable:7:color/fg', collection: 'new:collection:7', name: 'color/fg', type: 'COLOR', origin: { tabId: 7, rowName: 'color/fg', row: 3 }, cell: cell('A3') },
        { op: 'createVariable', ref: 'new:variable:7:radius/md', collection: 'new:collection:7', name: 'radius/md', type: 'FLOAT', origin: { tabId: 7, rowName: 'radius/md', row: 4 }, cell: cell('A4') },
        { op: 'setValue', variable: 'new:variable:7:color/bg', mode: 'new:mode:7:2', value: WHITE, cell: cell('B2') },
        { op: 'setValue', variable: 'new:variable:7:color/bg', mode: 'new:mode:7:3', value: BLACK, cell: cell('C2') },
        { op: 'setValue', variable: 'new:variable:7:radius/md', mode: 'new:mode:7:2', value: 8, cell: cell('B4') },
        { op: 'setValue', variable: 'new:variable:7:radius/md', mode: 'new:mode:7:3', value: 8, cell: cell('C4') },
        { op: 'setAlias', variable: 'new:variable:7:color/fg', mode: 'new:mode:7:2', target: 'new:variable:7:color/bg', cell: cell('B3') },
        { op: 'setAlias', variable: 'new:variable:7:color/fg', mode: 'new:mode:7:3', target: 'new:variable:7:color/bg', cell: cell('C3') },
      ],
      orphans: [],
      problems: [],
      counts: { created: 3, updated: 0, unchanged: 0 },
      adoptions: [],
    });
  });

  test('a collection made by hand with the tab name is never doubled: the tab waits for the designer to adopt it, and nothing is written', () => {
    const handMade: FileState = {
      collections: [{ id: 'VariableCollectionId:9:1', name: 'Colors', remote: false, modes: [{ modeId: '9:0', name: 'Mode 1' }], defaultModeId: '9:0' }],
      variables: [
        { id: 'VariableID:9:2', name: 'color/bg', collectionId: 'VariableCollectionId:9:1', resolvedType: 'COLOR', valuesByMode: { '9:0': BLUE }, description: '', hidden: false, scopes: ['ALL_SCOPES'], codeSyntax: {}, remote: false },
      ],
    };
    const plan = planSync([colors()], handMade);
    expect(plan.ops).toEqual([]);
    expect(plan.problems.map((p) => [p.code, p.tab, p.cell])).toEqual([['ADOPTION_PENDING', 'Colors', '']]);
    expect(plan.counts).toEqual({ created: 0, updated: 0, unchanged: 0 });
    expect(plan.adoptions.map((a) => [a.tab, a.collectionId, a.approved, a.adopted, a.created])).toEqual([['Colors', 'VariableCollectionId:9:1', false, 1, 2]]);
  });

  test('a tab without modes plans nothing (the mapper reports why)', () => {
    const empty: MappedCollection = { tabId: 3, name: 'Broken', modes: [], variables: [] };
    expect(planSync([empty], EMPTY_FILE)).toEqual({ ops: [], orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: 0 }, adoptions: [] });
  });
});

describe('planning what is already there', () => {
  test('gives no ops and counts every row unchanged', () => {
    const file = syncedFile([colors()]);
    expect(planSync([colors()], file)).toEqual({ ops: [], orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: 3 }, adoptions: [] });
  });

  test('a colour Figma holds as float32 (0.40000000200345043) is not a change from the sheet\'s 0.4', () => {
    const sheet = colors({ bgLight: rgba(0.4, 0.4, 0.4, 0.4) });
    const file = syncedFile([sheet]);
    const bg = variableIn(file, 7, 'color/bg');
    const drifted = 0.40000000200345043;
    const light = collectionOf(file, 7).modes[0]!.modeId;
    const held: FileState = {
      ...file,
      variables: file.variables.map((v) => (v.id === bg.id ? { ...v, valuesByMode: { ...v.valuesByMode, [light]: rgba(drifted, drifted, drifted, drifted) } } : v)),
    };
    expect(planSync([sheet], held).ops).toEqual([]);
  });

  test('a number Figma holds as float32 is not a change', () => {
    const sheet = tab(1, 'Sizes', ['Value'], [{ name: 'line/height', type: 'FLOAT', values: [1.15] }]);
    const file = syncedFile([sheet]);
    const v = variableIn(file, 1, 'line/height');
    const mode = collectionOf(file, 1).defaultModeId;
    const held: FileState = { ...file, variables: [{ ...v, valuesByMode: { [mode]: Math.fround(1.15) } }] };
    expect(Math.fround(1.15)).not.toBe(1.15);
    expect(planSync([sheet], held).ops).toEqual([]);
  });
});

describe('changed values', () => {
  test('one changed colour gives one setValue on the existing variable and mode', () => {
    const file = syncedFile([colors()]);
    const bg = variableIn(file, 7, 'color/bg');
    const light = collectionOf(file, 7).modes[0]!.modeId;
    const plan = planSync([colors({ bgLight: BLUE })], file);
    expect(plan).toEqual({
      ops: [{ op: 'setValue', variable: bg.id, mode: light, value: BLUE, cell: { tab: 'Colors', cell: 'B2' } }],
      orphans: [],
      problems: [],
      counts: { created: 0, updated: 1, unchanged: 2 },
      adoptions: [],
    });
  });

  test('one 8-bit step of a channel is a change', () => {
    const file = syncedFile([colors({ bgLight: rgba(102 / 255, 0, 0) })]);
    expect(opsNamed(planSync([colors({ bgLight: rgba(103 / 255, 0, 0) })], file).ops, 'setValue')).toHaveLength(1);
  });

  test('a value Figma holds as an alias becomes a plain value with setValue', () => {
    const file = syncedFile([colors()]);
    const sheet = tab(7, 'Colors', ['Light', 'Dark'], [
      { name: 'color/bg', type: 'COLOR', values: [WHITE, BLACK] },
      { name: 'color/fg', type: 'COLOR', values: [BLUE, alias('Colors', 'color/bg')] },
      { name: 'radius/md', type: 'FLOAT', values: [8, 8] },
    ]);
    const fg = variableIn(file, 7, 'color/fg');
    expect(planSync([sheet], file).ops).toEqual([{ op: 'setValue', variable: fg.id, mode: collectionOf(file, 7).modes[0]!.modeId, value: BLUE, cell: { tab: 'Colors', cell: 'B3' } }]);
  });

  test('a mode value the sync does not know (a composed colour) is left alone while the other modes update', () => {
    const file = syncedFile([colors()]);
    const bg = variableIn(file, 7, 'color/bg');
    const [light, dark] = collectionOf(file, 7).modes.map((m) => m.modeId);
    const held: FileState = { ...file, variables: file.variables.map((v) => (v.id === bg.id ? { ...v, valuesByMode: { ...v.valuesByMode, [light!]: { unknown: true } } } : v)) };
    const sheet = tab(7, 'Colors', ['Light', 'Dark'], [
      { name: 'color/bg', type: 'COLOR', values: [BLUE, BLUE] },
      { name: 'color/fg', type: 'COLOR', values: [alias('Colors', 'color/bg'), alias('Colors', 'color/bg')] },
      { name: 'radius/md', type: 'FLOAT', values: [8, 8] },
    ]);
    expect(planSync([sheet], held).ops).toEqual([{ op: 'setValue', variable: bg.id, mode: dark, value: BLUE, cell: { tab: 'Colors', cell: 'C2' } }]);
  });
});

describe('renames', () => {
  test('a renamed tab renames its collection and nothing else', () => {
    const file = syncedFile([colors()]);
    const renamed = { ...colors(), name: 'Colours' };
    // Aliases name the tab, so they follow the rename in the mapper's output.
    for (const v of renamed.variables) {
      for (const [m, value] of Object.entries(v.valuesByMode)) if (typeof value === 'object' && 'alias' in value) v.valuesByMode[m] = alias('Colours', value.alias.name);
    }
    expect(planSync([renamed], file)).toEqual({
      ops: [{ op: 'renameCollection', collection: collectionOf(file, 7).id, name: 'Colours' }],
      orphans: [],
      problems: [],
      counts: { created: 0, updated: 0, unchanged: 3 },
      adoptions: [],
    });
  });

  test('a row renamed in place renames its variable (keeping its id, so its bindings) and records the new row name', () => {
    const file = syncedFile([colors()]);
    const bg = variableIn(file, 7, 'color/bg');
    const sheet = colors();
    sheet.variables[0]!.name = 'color/background';
    sheet.variables[1]!.valuesByMode = { Light: alias('Colors', 'color/background'), Dark: alias('Colors', 'color/background') };
    expect(planSync([sheet], file)).toEqual({
      ops: [
        { op: 'renameVariable', variable: bg.id, name: 'color/background', cell: { tab: 'Colors', cell: 'A2' } },
        { op: 'setOrigin', variable: bg.id, origin: { tabId: 7, rowName: 'color/background', row: 2 } },
      ],
      orphans: [],
      problems: [],
      counts: { created: 0, updated: 1, unchanged: 2 },
      adoptions: [],
    });
  });

  test('a row renamed while a row is inserted above it is still a rename, and the moved rows only get their origin updated', () => {
    const file = syncedFile([colors()]);
    const radius = variableIn(file, 7, 'radius/md');
    const bg = variableIn(file, 7, 'color/bg');
    const fg = variableIn(file, 7, 'color/fg');
    const sheet = tab(7, 'Colors', ['Light', 'Dark'], [
      { name: 'color/accent', type: 'COLOR', values: [BLUE, BLUE] },
      { name: 'color/bg', type: 'COLOR', values: [WHITE, BLACK] },
      { name: 'color/fg', type: 'COLOR', values: [alias('Colors', 'color/bg'), alias('Colors', 'color/bg')] },
      { name: 'radius/m', type: 'FLOAT', values: [8, 8] },
    ]);
    const plan = planSync([sheet], file);
    expect(plan.ops).toEqual([
      { op: 'renameVariable', variable: radius.id, name: 'radius/m', cell: { tab: 'Colors', cell: 'A5' } },
      { op: 'createVariable', ref: 'new:variable:7:color/accent', collection: collectionOf(file, 7).id, name: 'color/accent', type: 'COLOR', origin: { tabId: 7, rowName: 'color/accent', row: 2 }, cell: { tab: 'Colors', cell: 'A2' } },
      { op: 'setValue', variable: 'new:variable:7:color/accent', mode: collectionOf(file, 7).modes[0]!.modeId, value: BLUE, cell: { tab: 'Colors', cell: 'B2' } },
      { op: 'setValue', variable: 'new:variable:7:color/accent', mode: collectionOf(file, 7).modes[1]!.modeId, value: BLUE, cell: { tab: 'Colors', cell: 'C2' } },
      { op: 'setOrigin', variable: bg.id, origin: { tabId: 7, rowName: 'color/bg', row: 3 } },
      { op: 'setOrigin', variable: fg.id, origin: { tabId: 7, rowName: 'color/fg', row: 4 } },
      { op: 'setOrigin', variable: radius.id, origin: { tabId: 7, rowName: 'radius/m', row: 5 } },
    ]);
    expect(plan.counts).toEqual({ created: 1, updated: 1, unchanged: 2 });
    expect(plan.orphans).toEqual([]);
  });

  test('every row renamed after an empty row was inserted pairs in row order, not by the old row numbers', () => {
    const file = syncedFile([colors()]);
    const ids = ['color/bg', 'color/fg', 'radius/md'].map((n) => variableIn(file, 7, n).id);
    const sheet = tab(7, 'Colors', ['Light', 'Dark'], [
      { name: 'c/bg', type: 'COLOR', values: [WHITE, BLACK], row: 3 },
      { name: 'c/fg', type: 'COLOR', values: [alias('Colors', 'c/bg'), alias('Colors', 'c/bg')], row: 4 },
      { name: 'r/md', type: 'FLOAT', values: [8, 8], row: 5 },
    ]);
    const renames = opsNamed(planSync([sheet], file).ops, 'renameVariable');
    expect(renames).toEqual([
      { op: 'renameVariable', variable: ids[0], name: 'c/bg', cell: { tab: 'Colors', cell: 'A3' } },
      { op: 'renameVariable', variable: ids[1], name: 'c/fg', cell: { tab: 'Colors', cell: 'A4' } },
      { op: 'renameVariable', variable: ids[2], name: 'r/md', cell: { tab: 'Colors', cell: 'A5' } },
    ]);
  });

  test('a row that moved without a rename only gets its origin updated, which counts as unchanged', () => {
    const file = syncedFile([colors()]);
    const sheet = colors();
    for (const v of sheet.variables) v.row += 1;
    const plan = planSync([sheet], file);
    expect(plan.ops.map((o) => o.op)).toEqual(['setOrigin', 'setOrigin', 'setOrigin']);
    expect(plan.counts).toEqual({ created: 0, updated: 0, unchanged: 3 });
  });

  test('two rows that swap names keep their variables by row name, so bindings follow the names', () => {
    const sheet = tab(1, 'T', ['V'], [
      { name: 'a', type: 'FLOAT', values: [1] },
      { name: 'b', type: 'FLOAT', values: [2] },
    ]);
    const file = syncedFile([sheet]);
    const swapped = tab(1, 'T', ['V'], [
      { name: 'b', type: 'FLOAT', values: [2] },
      { name: 'a', type: 'FLOAT', values: [1] },
    ]);
    const plan = planSync([swapped], file);
    expect(plan.ops).toEqual([
      { op: 'setOrigin', variable: variableIn(file, 1, 'b').id, origin: { tabId: 1, rowName: 'b', row: 2 } },
      { op: 'setOrigin', variable: variableIn(file, 1, 'a').id, origin: { tabId: 1, rowName: 'a', row: 3 } },
    ]);
  });
});

describe('modes', () => {
  const twoRows = (modes: Parameters<typeof tab>[2], values: [number[], number[]]) =>
    tab(2, 'Spacing', modes, [
      { name: 'space/1', type: 'FLOAT', values: values[0] },
      { name: 'space/2', type: 'FLOAT', values: values[1] },
    ]);

  test('a new mode column adds the mode, records its column and fills it for every row', () => {
    const file = syncedFile([twoRows(['Mobile'], [[4], [8]])]);
    const c = collectionOf(file, 2);
    const plan = planSync([twoRows(['Mobile', 'Desktop'], [[4, 6], [8, 12]])], file);
    expect(plan.ops).toEqual([
      { op: 'addMode', collection: c.id, ref: 'new:mode:2:3', name: 'Desktop', column: 3 },
      { op: 'setCollectionOrigin', collection: c.id, tabId: 2, modeColumns: { [c.defaultModeId]: 2, 'new:mode:2:3': 3 } },
      { op: 'setValue', variable: variableIn(file, 2, 'space/1').id, mode: 'new:mode:2:3', value: 6, cell: { tab: 'Spacing', cell: 'C2' } },
      { op: 'setValue', variable: variableIn(file, 2, 'space/2').id, mode: 'new:mode:2:3', value: 12, cell: { tab: 'Spacing', cell: 'C3' } },
    ]);
    expect(plan.counts).toEqual({ created: 0, updated: 2, unchanged: 0 });
  });

  test('a mode header renamed in the same column renames the mode and keeps its values', () => {
    const file = syncedFile([twoRows(['Mobile', 'Desktop'], [[4, 6], [8, 12]])]);
    const c = collectionOf(file, 2);
    const plan = planSync([twoRows(['Mobile', 'Wide'], [[4, 6], [8, 12]])], file);
    expect(plan.ops).toEqual([{ op: 'renameMode', collection: c.id, mode: c.modes[1]!.modeId, name: 'Wide' }]);
  });

  test('a mode column removed from the sheet removes the mode', () => {
    const file = syncedFile([twoRows(['Mobile', 'Desktop'], [[4, 6], [8, 12]])]);
    const c = collectionOf(file, 2);
    const plan = planSync([twoRows(['Mobile'], [[4], [8]])], file);
    expect(plan.ops).toEqual([
      { op: 'removeMode', collection: c.id, mode: c.modes[1]!.modeId },
      { op: 'setCollectionOrigin', collection: c.id, tabId: 2, modeColumns: { [c.modes[0]!.modeId]: 2 } },
    ]);
  });

  test('when every mode is replaced the default mode is renamed rather than the last mode removed', () => {
    const file = syncedFile([twoRows(['Mobile', 'Desktop'], [[4, 6], [8, 12]])]);
    const c = collectionOf(file, 2);
    const plan = planSync([twoRows([{ name: 'Compact', column: 5 }], [[4], [8]])], file);
    expect(plan.ops).toEqual([
      { op: 'renameMode', collection: c.id, mode: c.defaultModeId, name: 'Compact' },
      { op: 'removeMode', collection: c.id, mode: c.modes[1]!.modeId },
      { op: 'setCollectionOrigin', collection: c.id, tabId: 2, modeColumns: { [c.defaultModeId]: 5 } },
    ]);
  });

  test('a mode column that moved keeps its mode by name and only its recorded column changes', () => {
    const file = syncedFile([twoRows(['Mobile', 'Desktop'], [[4, 6], [8, 12]])]);
    const c = collectionOf(file, 2);
    const plan = planSync([twoRows([{ name: 'Mobile', column: 2 }, { name: 'Desktop', column: 4 }], [[4, 6], [8, 12]])], file);
    expect(plan.ops).toEqual([{ op: 'setCollectionOrigin', collection: c.id, tabId: 2, modeColumns: { [c.modes[0]!.modeId]: 2, [c.modes[1]!.modeId]: 4 } }]);
  });

  test('removing one mode and adding another in one go removes first, to stay under the mode limit', () => {
    const file = syncedFile([twoRows(['Mobile', 'Desktop'], [[4, 6], [8, 12]])]);
    const plan = planSync([twoRows(['Mobile', { name: 'Print', column: 4 }], [[4, 1], [8, 2]])], file);
    expect(plan.ops.slice(0, 2).map((o) => o.op)).toEqual(['removeMode', 'addMode']);
  });
});

describe('aliases', () => {
  const primitives = () =>
    tab(1, 'Primitives', ['Value'], [
      { name: 'blue/500', type: 'COLOR', values: [BLUE] },
      { name: 'gray/900', type: 'COLOR', values: [BLACK] },
    ]);
  const semantic = (target: string) => tab(2, 'Semantic', ['Light', 'Dark'], [{ name: 'accent', type: 'COLOR', values: [alias('Primitives', target), alias('Primitives', 'gray/900')] }]);

  test('an alias across collections points at the target variable\'s id', () => {
    const file = syncedFile([primitives(), semantic('blue/500')]);
    const accent = variableIn(file, 2, 'accent');
    expect(accent.valuesByMode[collectionOf(file, 2).modes[0]!.modeId]).toEqual({ type: 'VARIABLE_ALIAS', id: variableIn(file, 1, 'blue/500').id });
    expect(planSync([primitives(), semantic('blue/500')], file).ops).toEqual([]);
  });

  test('an alias retargeted in the sheet gives one setAlias to the new target', () => {
    const file = syncedFile([primitives(), semantic('blue/500')]);
    expect(planSync([primitives(), semantic('gray/900')], file).ops).toEqual([
      { op: 'setAlias', variable: variableIn(file, 2, 'accent').id, mode: collectionOf(file, 2).modes[0]!.modeId, target: variableIn(file, 1, 'gray/900').id, cell: { tab: 'Semantic', cell: 'B2' } },
    ]);
  });

  test('an alias to a row created in the same plan targets its new ref, after it is created', () => {
    const file = syncedFile([primitives(), semantic('blue/500')]);
    const withRed = tab(1, 'Primitives', ['Value'], [
      { name: 'blue/500', type: 'COLOR', values: [BLUE] },
      { name: 'gray/900', type: 'COLOR', values: [BLACK] },
      { name: 'red/500', type: 'COLOR', values: [rgba(1, 0, 0)] },
    ]);
    const plan = planSync([withRed, semantic('red/500')], file);
    const create = plan.ops.findIndex((o) => o.op === 'createVariable');
    const setAlias = plan.ops.findIndex((o) => o.op === 'setAlias');
    expect(plan.ops[setAlias]).toEqual({ op: 'setAlias', variable: variableIn(file, 2, 'accent').id, mode: collectionOf(file, 2).modes[0]!.modeId, target: 'new:variable:1:red/500', cell: { tab: 'Semantic', cell: 'B2' } });
    expect(create).toBeGreaterThanOrEqual(0);
    expect(create).toBeLessThan(setAlias);
  });

  test('an alias whose target row is left alone is a problem at the alias cell and is not written', () => {
    const file = syncedFile([primitives()]);
    const handMade: FileVariable = { id: 'VariableID:9:9', name: 'red/500', collectionId: collectionOf(file, 1).id, resolvedType: 'COLOR', valuesByMode: {}, description: '', hidden: false, scopes: ['ALL_SCOPES'], codeSyntax: {}, remote: false };
    const held = { ...file, variables: [...file.variables, handMade] };
    const withRed = tab(1, 'Primitives', ['Value'], [
      { name: 'blue/500', type: 'COLOR', values: [BLUE] },
      { name: 'gray/900', type: 'COLOR', values: [BLACK] },
      { name: 'red/500', type: 'COLOR', values: [rgba(1, 0, 0)] },
    ]);
    const plan = planSync([withRed, semantic('red/500')], held);
    expect(plan.problems).toEqual([
      {
        tab: 'Primitives',
        cell: 'A4',
        severity: 'error',
        code: 'NAME_TAKEN',
        message: '"red/500" is already a variable in the Figma collection "Primitives" that the sync did not create, so the sync leaves this row alone. Rename one of them (the row or the Figma variable).',
      },
      {
        tab: 'Semantic',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_UNRESOLVED',
        message: 'This alias points at "Primitives::red/500", which the sync could not create or update in Figma (see the problem on that row), so this value was not set.',
      },
    ]);
    expect(plan.ops.filter((o) => o.op === 'setAlias' && o.cell.cell === 'B2')).toEqual([]);
    // The other mode of the same row is still written.
    expect(plan.ops.filter((o) => o.op === 'setAlias').map((o) => (o as { cell: { cell: string } }).cell.cell)).toEqual(['C2']);
  });

  test('a reversed alias chain is written deepest target first, so no write closes a cycle halfway', () => {
    // Figma now: x is plain, t aliases x. The sheet: x aliases t, t aliases u.
    const before = tab(4, 'Chain', ['V'], [
      { name: 'x', type: 'FLOAT', values: [1] },
      { name: 't', type: 'FLOAT', values: [alias('Chain', 'x')] },
      { name: 'u', type: 'FLOAT', values: [3] },
    ]);
    const file = syncedFile([before]);
    const after = tab(4, 'Chain', ['V'], [
      { name: 'x', type: 'FLOAT', values: [alias('Chain', 't')] },
      { name: 't', type: 'FLOAT', values: [alias('Chain', 'u')] },
      { name: 'u', type: 'FLOAT', values: [3] },
    ]);
    const ops = planSync([after], file).ops;
    const mode = collectionOf(file, 4).defaultModeId;
    const id = (n: string) => variableIn(file, 4, n).id;
    expect(ops).toEqual([
      { op: 'setAlias', variable: id('t'), mode, target: id('u'), cell: { tab: 'Chain', cell: 'B3' } },
      { op: 'setAlias', variable: id('x'), mode, target: id('t'), cell: { tab: 'Chain', cell: 'B2' } },
    ]);
  });
});

describe('what the sync did not make', () => {
  test('a variable made by hand in a synced collection with a row\'s name is a problem at the Name cell; that row is skipped, the others are synced', () => {
    const file = syncedFile([colors()]);
    const c = collectionOf(file, 7);
    const handMade: FileVariable = { id: 'VariableID:9:9', name: 'color/border', collectionId: c.id, resolvedType: 'COLOR', valuesByMode: {}, description: '', hidden: false, scopes: ['ALL_SCOPES'], codeSyntax: {}, remote: false };
    const held = { ...file, variables: [...file.variables, handMade] };
    const sheet = colors({ bgLight: BLUE, extraRows: [{ name: 'color/border', type: 'COLOR', values: [BLACK, WHITE] }] });
    const plan = planSync([sheet], held);
    expect(plan.problems).toEqual([
      {
        tab: 'Colors',
        cell: 'A5',
        severity: 'error',
        code: 'NAME_TAKEN',
        message: '"color/border" is already a variable in the Figma collection "Colors" that the sync did not create, so the sync leaves this row alone. Rename one of them (the row or the Figma variable).',
      },
    ]);
    expect(plan.ops).toEqual([{ op: 'setValue', variable: variableIn(file, 7, 'color/bg').id, mode: c.modes[0]!.modeId, value: BLUE, cell: { tab: 'Colors', cell: 'B2' } }]);
    expect(plan.orphans).toEqual([]);
    expect(plan.counts).toEqual({ created: 0, updated: 1, unchanged: 2 });
  });

  test('a variable made by hand with a name no row has is neither touched nor an orphan', () => {
    const file = syncedFile([colors()]);
    const handMade: FileVariable = { id: 'VariableID:9:9', name: 'mine', collectionId: collectionOf(file, 7).id, resolvedType: 'FLOAT', valuesByMode: {}, description: '', hidden: false, scopes: [], codeSyntax: {}, remote: false };
    expect(planSync([colors()], { ...file, variables: [...file.variables, handMade] })).toEqual({ ops: [], orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: 3 }, adoptions: [] });
  });

  test('a remote (library) collection carrying the sync\'s mark is never matched or touched', () => {
    const library = syncedFile([colors()]);
    const remote: FileState = {
      collections: library.collections.map((c) => ({ ...c, remote: true })),
      variables: library.variables.map((v) => ({ ...v, remote: true })),
    };
    const plan = planSync([colors()], remote);
    const remoteIds = new Set([...remote.collections.map((c) => c.id), ...remote.variables.map((v) => v.id)]);
    expect(plan.ops.filter((o) => Object.values(o).some((x) => typeof x === 'string' && remoteIds.has(x)))).toEqual([]);
    expect(plan.ops[0]!.op).toBe('createCollection');
    expect(plan.orphans).toEqual([]);
  });

  test('a variable of a type the sync does not handle (EASING) is left alone, and a row with its name is a problem', () => {
    const file = syncedFile([colors()]);
    const easing: FileVariable = {
      id: 'VariableID:9:8',
      name: 'motion/ease',
      collectionId: collectionOf(file, 7).id,
      resolvedType: 'EASING',
      valuesByMode: { x: { unknown: true } },
      description: '',
      hidden: false,
      scopes: [],
      codeSyntax: {},
      remote: false,
      origin: { tabId: 7, rowName: 'motion/ease', row: 9 },
    };
    const held = { ...file, variables: [...file.variables, easing] };
    expect(planSync([colors()], held)).toEqual({ ops: [], orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: 3 }, adoptions: [] });
    const plan = planSync([colors({ extraRows: [{ name: 'motion/ease', type: 'STRING', values: ['ease-in', 'ease-in'] }] })], held);
    expect(plan.problems).toEqual([
      {
        tab: 'Colors',
        cell: 'A5',
        severity: 'error',
        code: 'NAME_TAKEN',
        message: '"motion/ease" is already a variable in the Figma collection "Colors" of type EASING, which the sync does not handle, so the sync leaves this row alone. Rename one of them (the row or the Figma variable).',
      },
    ]);
    expect(plan.ops).toEqual([]);
  });
});

describe('a row whose type changed', () => {
  test('is a problem at its Type cell, is not written, and its old variable is listed as an orphan', () => {
    const file = syncedFile([colors()]);
    const radius = variableIn(file, 7, 'radius/md');
    const sheet = colors();
    sheet.typeColumn = 4;
    sheet.variables[2] = { ...sheet.variables[2]!, type: 'STRING', valuesByMode: { Light: '8px', Dark: '8px' } };
    const plan = planSync([sheet], file);
    expect(plan).toEqual({
      ops: [{ op: 'setOrigin', variable: radius.id, origin: { tabId: 7, rowName: 'radius/md', row: 4, orphaned: true } }],
      orphans: [{ variableId: radius.id, name: 'radius/md', collectionId: radius.collectionId, collectionName: 'Colors' }],
      problems: [
        {
          tab: 'Colors',
          cell: 'D4',
          severity: 'error',
          code: 'TYPE_CHANGED',
          message:
            '"radius/md" is a FLOAT variable in Figma but this row is now STRING, and Figma cannot change a variable\'s type, so the row was not synced. ' +
            "Either remove the old variable from the plugin's orphan list (bindings to it break) and the next sync creates it as STRING, or give this row a new name (the old variable stays as an orphan).",
        },
      ],
      counts: { created: 0, updated: 0, unchanged: 2 },
      adoptions: [],
    });
  });

  test('without a Type column the problem points at the first value cell', () => {
    const file = syncedFile([colors()]);
    const sheet = colors();
    sheet.variables[2] = { ...sheet.variables[2]!, type: 'STRING', valuesByMode: { Light: '8px', Dark: '8px' } };
    expect(planSync([sheet], file).problems.map((p) => [p.code, p.cell])).toEqual([['TYPE_CHANGED', 'B4']]);
  });

  test('once the old variable is removed, the next plan creates it with the new type', () => {
    const file = syncedFile([colors()]);
    const sheet = colors();
    sheet.variables[2] = { ...sheet.variables[2]!, type: 'STRING', valuesByMode: { Light: '8px', Dark: '8px' } };
    const radius = variableIn(file, 7, 'radius/md');
    const removed = { ...file, variables: file.variables.filter((v) => v.id !== radius.id) };
    const plan = planSync([sheet], removed);
    expect(plan.problems).toEqual([]);
    expect(plan.ops.map((o) => o.op)).toEqual(['createVariable', 'setValue', 'setValue']);
  });
});

describe('orphans', () => {
  test('a row gone from the sheet leaves its variable listed as an orphan, marked once, never deleted', () => {
    const file = syncedFile([colors()]);
    const radius = variableIn(file, 7, 'radius/md');
    const sheet = colors();
    sheet.variables.pop();
    const plan = planSync([sheet], file);
    const orphan = { variableId: radius.id, name: 'radius/md', collectionId: radius.collectionId, collectionName: 'Colors' };
    expect(plan).toEqual({
      ops: [{ op: 'setOrigin', variable: radius.id, origin: { tabId: 7, rowName: 'radius/md', row: 4, orphaned: true } }],
      orphans: [orphan],
      problems: [],
      counts: { created: 0, updated: 0, unchanged: 2 },
      adoptions: [],
    });
    const after = applyPlanToFileState(file, plan, figmaIds());
    expect(planSync([sheet], after)).toEqual({ ops: [], orphans: [orphan], problems: [], counts: { created: 0, updated: 0, unchanged: 2 }, adoptions: [] });
  });

  test('a row added later does not take over an old orphan of the same type', () => {
    const file = syncedFile([colors()]);
    const sheet = colors();
    sheet.variables.pop();
    const after = applyPlanToFileState(file, planSync([sheet], file), figmaIds());
    const later = colors({ extraRows: [] });
    later.variables[2] = { ...later.variables[2]!, name: 'radius/lg', row: 9 };
    const plan = planSync([later], after);
    expect(plan.ops.map((o) => o.op)).toEqual(['createVariable', 'setValue', 'setValue']);
    expect(plan.orphans.map((o) => o.name)).toEqual(['radius/md']);
  });

  test('an orphan whose row name comes back is synced again, and its orphan mark cleared', () => {
    const file = syncedFile([colors()]);
    const radius = variableIn(file, 7, 'radius/md');
    const without = colors();
    without.variables.pop();
    const after = applyPlanToFileState(file, planSync([without], file), figmaIds());
    expect(planSync([colors()], after)).toEqual({
      ops: [{ op: 'setOrigin', variable: radius.id, origin: { tabId: 7, rowName: 'radius/md', row: 4 } }],
      orphans: [],
      problems: [],
      counts: { created: 0, updated: 0, unchanged: 3 },
      adoptions: [],
    });
  });

  test('a row the mapper left out for errors keeps its variable as it is, not listed as an orphan', () => {
    const file = syncedFile([colors()]);
    const sheet = colors({ bgLight: BLUE });
    sheet.variables.pop();
    sheet.skippedRows = [{ row: 4, name: 'radius/md' }];
    expect(planSync([sheet], file)).toEqual({
      ops: [{ op: 'setValue', variable: variableIn(file, 7, 'color/bg').id, mode: collectionOf(file, 7).modes[0]!.modeId, value: BLUE, cell: { tab: 'Colors', cell: 'B2' } }],
      orphans: [],
      problems: [],
      counts: { created: 0, updated: 1, unchanged: 1 },
      adoptions: [],
    });
  });

  test('the variables of a tab no longer synced are orphans; its collection is left as it is', () => {
    const spacing = tab(2, 'Spacing', ['V'], [{ name: 'space/1', type: 'FLOAT', values: [4] }]);
    const file = syncedFile([colors(), spacing]);
    const space = variableIn(file, 2, 'space/1');
    const plan = planSync([colors()], file);
    expect(plan).toEqual({
      ops: [{ op: 'setOrigin', variable: space.id, origin: { tabId: 2, rowName: 'space/1', row: 2, orphaned: true } }],
      orphans: [{ variableId: space.id, name: 'space/1', collectionId: space.collectionId, collectionName: 'Spacing' }],
      problems: [],
      counts: { created: 0, updated: 0, unchanged: 3 },
      adoptions: [],
    });
  });
});

describe('names, descriptions, scopes, hidden and code syntax', () => {
  const one = (extra: Partial<Parameters<typeof tab>[3][number]>) => tab(5, 'Meta', ['V'], [{ name: 'm', type: 'FLOAT', values: [1], ...extra }]);

  test('a new variable gets only what differs from a fresh variable\'s defaults', () => {
    const plan = planSync([one({ description: 'Body size', scopes: ['FONT_SIZE'], hidden: true, codeSyntax: { WEB: 'var(--m)' } })], EMPTY_FILE);
    expect(plan.ops.slice(-4)).toEqual([
      { op: 'setDescription', variable: 'new:variable:5:m', description: 'Body size' },
      { op: 'setScopes', variable: 'new:variable:5:m', scopes: ['FONT_SIZE'] },
      { op: 'setHidden', variable: 'new:variable:5:m', hidden: true },
      { op: 'setCodeSyntax', variable: 'new:variable:5:m', platform: 'WEB', value: 'var(--m)' },
    ]);
    expect(planSync([one({})], EMPTY_FILE).ops.map((o) => o.op)).toEqual(['createCollection', 'setCollectionOrigin', 'createVariable', 'setValue']);
  });

  test('each changed field is one write; scopes compare as a set', () => {
    const file = syncedFile([one({ description: 'a', scopes: ['GAP', 'WIDTH_HEIGHT'], codeSyntax: { WEB: 'w', iOS: 'i' } })]);
    const id = variableIn(file, 5, 'm').id;
    expect(planSync([one({ description: 'a', scopes: ['WIDTH_HEIGHT', 'GAP'], codeSyntax: { WEB: 'w', iOS: 'i' } })], file).ops).toEqual([]);
    expect(planSync([one({ description: 'b', scopes: ['GAP'], hidden: true, codeSyntax: { WEB: 'w2', ANDROID: 'a' } })], file).ops).toEqual([
      { op: 'setDescription', variable: id, description: 'b' },
      { op: 'setScopes', variable: id, scopes: ['GAP'] },
      { op: 'setHidden', variable: id, hidden: true },
      { op: 'setCodeSyntax', variable: id, platform: 'WEB', value: 'w2' },
      { op: 'setCodeSyntax', variable: id, platform: 'ANDROID', value: 'a' },
      { op: 'setCodeSyntax', variable: id, platform: 'iOS', value: null },
    ]);
  });

  test('scopes the sheet does not give leave Figma\'s scopes as they are', () => {
    const file = syncedFile([one({ scopes: ['GAP'] })]);
    expect(planSync([one({})], file).ops).toEqual([]);
  });
});

describe('a collection duplicated in Figma', () => {
  test('the first collection claiming the tab is synced, the copy is left alone with a warning', () => {
    const file = syncedFile([colors()]);
    const original = collectionOf(file, 7);
    const copy = { ...original, id: 'VariableCollectionId:5:5', name: 'Colors copy' };
    const copyVars = file.variables.map((v) => ({ ...v, id: `${v.id}-copy`, collectionId: copy.id }));
    const held: FileState = { collections: [...file.collections, copy], variables: [...file.variables, ...copyVars] };
    const plan = planSync([colors({ bgLight: BLUE })], held);
    expect(plan.problems).toEqual([
      {
        tab: 'Colors',
        cell: '',
        severity: 'warning',
        code: 'TAB_CLAIMED_TWICE',
        message: 'Two Figma collections say they were made for this tab (id 7): "Colors" is synced and "Colors copy" is left alone. Delete or rename the one you do not want (a duplicated collection keeps the sync\'s mark).',
      },
    ]);
    expect(plan.ops).toEqual([{ op: 'setValue', variable: variableIn(file, 7, 'color/bg').id, mode: original.modes[0]!.modeId, value: BLUE, cell: { tab: 'Colors', cell: 'B2' } }]);
    expect(plan.orphans).toEqual([]);
  });
});

describe('op order', () => {
  test('structure first (collections, modes, renames, creates), then values, then aliases', () => {
    const plan = planSync([colors()], EMPTY_FILE);
    const phase = (op: PlanOp['op']) => (op === 'setAlias' ? 2 : ['setValue', 'setOrigin', 'setDescription', 'setScopes', 'setHidden', 'setCodeSyntax'].includes(op) ? 1 : 0);
    const phases = plan.ops.map((o) => phase(o.op));
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
  });
});

describe('with the mapper, on the example token sheet', () => {
  const dir = `${__dirname}/../../../examples/tokens`;
  const exampleGrid = (): Grid => ({
    tabs: readdirSync(dir)
      .filter((f) => f.endsWith('.csv'))
      .sort()
      .map((f, i) => ({ tabId: i + 1, name: f.replace(/\.csv$/, ''), rows: parse(readFileSync(`${dir}/${f}`, 'utf8')) as string[][] })),
  });
  const edit = (grid: Grid, tabName: string, change: (rows: string[][]) => void): Grid => {
    const copy: Grid = JSON.parse(JSON.stringify(grid)) as Grid;
    change(copy.tabs.find((t) => t.name === tabName)!.rows as string[][]);
    return copy;
  };
  const rowOf = (rows: string[][], name: string) => rows.findIndex((r) => r[0] === name);

  test('maps without errors, plans into an empty file, and re-planning what was applied gives no ops', () => {
    const mapped = mapGrid(exampleGrid());
    expect(mapped.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const first = planSync(mapped.collections, EMPTY_FILE);
    const rows = mapped.collections.reduce((n, c) => n + c.variables.length, 0);
    expect(first.counts).toEqual({ created: rows, updated: 0, unchanged: 0 });
    expect(first.problems).toEqual([]);
    const file = applyPlanToFileState(EMPTY_FILE, first, figmaIds());
    expect(planSync(mapped.collections, file)).toEqual({ ops: [], orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: rows }, adoptions: [] });
  });

  test('one edited colour cell gives one setValue at that cell', () => {
    const grid = exampleGrid();
    const file = applyPlanToFileState(EMPTY_FILE, planSync(mapGrid(grid).collections, EMPTY_FILE), figmaIds());
    const edited = edit(grid, 'Primitives', (rows) => {
      rows[rowOf(rows, 'color/white')]![1] = '#fefefe';
    });
    const plan = planSync(mapGrid(edited).collections, file);
    expect(plan.ops).toEqual([
      {
        op: 'setValue',
        variable: variableIn(file, 2, 'color/white').id,
        mode: collectionOf(file, 2).defaultModeId,
        value: { r: 254 / 255, g: 254 / 255, b: 254 / 255, a: 1 },
        cell: { tab: 'Primitives', cell: `B${rowOf(edited.tabs[1]!.rows as string[][], 'color/white') + 1}` },
      },
    ]);
  });

  test('a renamed Name cell renames the variable; a row inserted above only moves origins', () => {
    const grid = exampleGrid();
    const file = applyPlanToFileState(EMPTY_FILE, planSync(mapGrid(grid).collections, EMPTY_FILE), figmaIds());
    const edited = edit(grid, 'Flags', (rows) => {
      rows[rowOf(rows, 'feature/dense-tables')]![0] = 'feature/compact-tables';
      rows.splice(1, 0, ['feature/new-flag', 'TRUE', 'boolean', '', 'FALSE']);
    });
    const plan = planSync(mapGrid(edited).collections, file);
    const dense = variableIn(file, 1, 'feature/dense-tables');
    expect(plan.ops.filter((o) => o.op !== 'setOrigin')).toEqual([
      { op: 'renameVariable', variable: dense.id, name: 'feature/compact-tables', cell: { tab: 'Flags', cell: 'A5' } },
      {
        op: 'createVariable',
        ref: 'new:variable:1:feature/new-flag',
        collection: collectionOf(file, 1).id,
        name: 'feature/new-flag',
        type: 'BOOLEAN',
        origin: { tabId: 1, rowName: 'feature/new-flag', row: 2 },
        cell: { tab: 'Flags', cell: 'A2' },
      },
      { op: 'setValue', variable: 'new:variable:1:feature/new-flag', mode: collectionOf(file, 1).defaultModeId, value: true, cell: { tab: 'Flags', cell: 'B2' } },
    ]);
    expect(plan.ops.filter((o) => o.op === 'setOrigin')).toHaveLength(4);
    expect(plan.orphans).toEqual([]);
  });

  test('a row that gets a bad cell keeps its variable as it is, not orphaned', () => {
    const grid = exampleGrid();
    const file = applyPlanToFileState(EMPTY_FILE, planSync(mapGrid(grid).collections, EMPTY_FILE), figmaIds());
    const edited = edit(grid, 'Primitives', (rows) => {
      rows[rowOf(rows, 'color/black')]![1] = '#12345';
    });
    const mapped = mapGrid(edited);
    expect(mapped.problems.filter((p) => p.severity === 'error').map((p) => p.tab)).toEqual(['Primitives']);
    const plan = planSync(mapped.collections, file);
    expect(plan.orphans).toEqual([]);
    expect(plan.ops.filter((o) => 'variable' in o && o.variable === variableIn(file, 2, 'color/black').id)).toEqual([]);
  });
});
