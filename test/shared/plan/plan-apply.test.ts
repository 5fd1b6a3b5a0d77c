import type { FileState, PlanOp } from '../../../shared/sheet/model';
import { applyPlanToFileState } from '../../../shared/plan/plan-apply';
import { EMPTY_FILE } from '../../helpers/plan-fixtures';

const base: FileState = {
  collections: [
    {
      id: 'C1',
      name: 'Colors',
      remote: false,
      modes: [
        { modeId: 'M1', name: 'Light' },
        { modeId: 'M2', name: 'Dark' },
      ],
      defaultModeId: 'M1',
      origin: { tabId: 7, modeColumns: { M1: 2, M2: 3 } },
    },
  ],
  variables: [
    {
      id: 'V1',
      name: 'bg',
      collectionId: 'C1',
      resolvedType: 'COLOR',
      valuesByMode: { M1: { r: 1, g: 1, b: 1, a: 1 }, M2: { r: 0, g: 0, b: 0, a: 1 } },
      description: '',
      hidden: false,
      scopes: ['ALL_SCOPES'],
      codeSyntax: { WEB: 'bg' },
      remote: false,
      origin: { tabId: 7, rowName: 'bg', row: 2 },
    },
    {
      id: 'V2',
      name: 'untouched',
      collectionId: 'C1',
      resolvedType: 'FLOAT',
      valuesByMode: { M1: 1, M2: 2 },
      description: '',
      hidden: false,
      scopes: ['ALL_SCOPES'],
      codeSyntax: {},
      remote: false,
    },
  ],
};

const cell = { tab: 'Colors', cell: 'A2' };
const apply = (ops: PlanOp[], file = base, idFor?: (ref: string) => string) => applyPlanToFileState(file, { ops }, idFor);

describe('applyPlanToFileState', () => {
  test('creates a collection with its default mode, added modes and recorded origin, with refs mapped to ids', () => {
    const ids: Record<string, string> = { 'new:collection:3': 'C9', 'new:mode:3:2': 'M9', 'new:mode:3:3': 'M10' };
    const after = apply(
      [
        { op: 'createCollection', ref: 'new:collection:3', tabId: 3, name: 'Sizes', defaultMode: { ref: 'new:mode:3:2', name: 'S', column: 2 } },
        { op: 'addMode', collection: 'new:collection:3', ref: 'new:mode:3:3', name: 'L', column: 3 },
        { op: 'setCollectionOrigin', collection: 'new:collection:3', tabId: 3, modeColumns: { 'new:mode:3:2': 2, 'new:mode:3:3': 3 } },
      ],
      EMPTY_FILE,
      (ref) => ids[ref]!,
    );
    expect(after).toEqual({
      collections: [
        {
          id: 'C9',
          name: 'Sizes',
          remote: false,
          modes: [
            { modeId: 'M9', name: 'S' },
            { modeId: 'M10', name: 'L' },
          ],
          defaultModeId: 'M9',
          origin: { tabId: 3, modeColumns: { M9: 2, M10: 3 } },
        },
      ],
      variables: [],
    });
  });

  test('without idFor a new object takes its ref as id', () => {
    const after = apply([{ op: 'createVariable', ref: 'new:variable:7:fg', collection: 'C1', name: 'fg', type: 'STRING', origin: { tabId: 7, rowName: 'fg', row: 3 }, cell }]);
    expect(after.variables[2]).toEqual({
      id: 'new:variable:7:fg',
      name: 'fg',
      collectionId: 'C1',
      resolvedType: 'STRING',
      valuesByMode: {},
      description: '',
      hidden: false,
      scopes: ['ALL_SCOPES'],
      codeSyntax: {},
      remote: false,
      origin: { tabId: 7, rowName: 'fg', row: 3 },
    });
  });

  test('renames collections, modes and variables, and records origins', () => {
    const after = apply([
      { op: 'renameCollection', collection: 'C1', name: 'Colours' },
      { op: 'renameMode', collection: 'C1', mode: 'M2', name: 'Night' },
      { op: 'renameVariable', variable: 'V1', name: 'background', cell },
      { op: 'setOrigin', variable: 'V1', origin: { tabId: 7, rowName: 'background', row: 4 } },
    ]);
    expect(after.collections[0]!.name).toBe('Colours');
    expect(after.collections[0]!.modes).toEqual([
      { modeId: 'M1', name: 'Light' },
      { modeId: 'M2', name: 'Night' },
    ]);
    expect(after.variables[0]!.name).toBe('background');
    expect(after.variables[0]!.origin).toEqual({ tabId: 7, rowName: 'background', row: 4 });
  });

  test('sets values, aliases and metadata', () => {
    const after = apply([
      { op: 'setValue', variable: 'V1', mode: 'M1', value: { r: 0, g: 0.4, b: 1, a: 1 }, cell },
      { op: 'setAlias', variable: 'V1', mode: 'M2', target: 'V2', cell },
      { op: 'setDescription', variable: 'V1', description: 'Page background' },
      { op: 'setScopes', variable: 'V1', scopes: ['FRAME_FILL'] },
      { op: 'setHidden', variable: 'V1', hidden: true },
      { op: 'setCodeSyntax', variable: 'V1', platform: 'WEB', value: null },
      { op: 'setCodeSyntax', variable: 'V1', platform: 'iOS', value: 'Color.bg' },
    ]);
    expect(after.variables[0]).toEqual({
      ...base.variables[0],
      valuesByMode: { M1: { r: 0, g: 0.4, b: 1, a: 1 }, M2: { type: 'VARIABLE_ALIAS', id: 'V2' } },
      description: 'Page background',
      scopes: ['FRAME_FILL'],
      hidden: true,
      codeSyntax: { iOS: 'Color.bg' },
    });
  });

  test('removing a mode drops its values, and removing the default mode makes the next one default', () => {
    const after = apply([{ op: 'removeMode', collection: 'C1', mode: 'M1' }]);
    expect(after.collections[0]!.modes).toEqual([{ modeId: 'M2', name: 'Dark' }]);
    expect(after.collections[0]!.defaultModeId).toBe('M2');
    expect(after.variables.map((v) => v.valuesByMode)).toEqual([{ M2: { r: 0, g: 0, b: 0, a: 1 } }, { M2: 2 }]);
  });

  test('does not change its input, and shares the objects no op touched', () => {
    const before = JSON.stringify(base);
    const after = apply([
      { op: 'setValue', variable: 'V1', mode: 'M1', value: { r: 0, g: 0, b: 1, a: 1 }, cell },
      { op: 'renameMode', collection: 'C1', mode: 'M1', name: 'Day' },
      { op: 'setCodeSyntax', variable: 'V1', platform: 'WEB', value: null },
    ]);
    expect(JSON.stringify(base)).toBe(before);
    expect(after.variables[1]).toBe(base.variables[1]);
    expect(after.variables[0]).not.toBe(base.variables[0]);
  });

  test('an op on a missing collection, mode or variable changes nothing, as when Figma refused the op that made it', () => {
    const ops: PlanOp[] = [
      { op: 'renameCollection', collection: 'C404', name: 'x' },
      { op: 'addMode', collection: 'C404', ref: 'new:mode:1:2', name: 'x', column: 2 },
      { op: 'renameMode', collection: 'C1', mode: 'M404', name: 'x' },
      { op: 'removeMode', collection: 'C1', mode: 'M404' },
      { op: 'createVariable', ref: 'new:variable:1:x', collection: 'C404', name: 'x', type: 'FLOAT', origin: { tabId: 1, rowName: 'x', row: 2 }, cell },
      { op: 'renameVariable', variable: 'V404', name: 'x', cell },
      { op: 'setValue', variable: 'V404', mode: 'M1', value: 1, cell },
      { op: 'setValue', variable: 'V2', mode: 'new:mode:7:9', value: 1, cell },
      { op: 'setAlias', variable: 'V1', mode: 'M1', target: 'new:variable:7:never', cell },
      { op: 'setOrigin', variable: 'V404', origin: { tabId: 1, rowName: 'x', row: 2 } },
      { op: 'setDescription', variable: 'V404', description: 'x' },
      { op: 'setScopes', variable: 'V404', scopes: [] },
      { op: 'setHidden', variable: 'V404', hidden: true },
      { op: 'setCodeSyntax', variable: 'V404', platform: 'WEB', value: 'x' },
      { op: 'setCollectionOrigin', collection: 'C404', tabId: 1, modeColumns: {} },
    ];
    expect(apply(ops)).toEqual(base);
  });
});
