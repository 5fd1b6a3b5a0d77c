import { normalizeRows, type CellValue, type Grid } from '../../../shared/protocol/grid';
import { mapGrid } from '../../../shared/sheet/mapper';
import type { MappedValue, MappedVariable, VariableType } from '../../../shared/sheet/model';
import type { Problem } from '../../../shared/protocol/messages';

/** A grid of tabs given as [name, rows]; tabIds are 1, 2, … in the order given. */
function grid(...tabs: [string, CellValue[][]][]): Grid {
  return { tabs: tabs.map(([name, rows], i) => ({ tabId: i + 1, name, rows: normalizeRows(rows) })) };
}

/** A whole MappedVariable with the defaults of a row that fills only Name and values. */
function variable(
  name: string,
  type: VariableType,
  row: number,
  values: Record<string, MappedValue>,
  columns: Record<string, number>,
  extra: Partial<MappedVariable> = {},
): MappedVariable {
  return { name, type, valuesByMode: values, description: '', hidden: false, codeSyntax: {}, row, valueColumns: columns, ...extra };
}

/** The mapper's problems for one tab named T holding these rows. */
function problemsOfT(rows: CellValue[][]): Problem[] {
  return mapGrid(grid(['T', rows])).problems;
}

/** A whole problem reported in tab T. */
function problemInT(cell: string, severity: Problem['severity'], code: string, message: string): Problem {
  return { tab: 'T', cell, severity, code, message };
}

const blue = { r: 0, g: 85 / 255, b: 1, a: 1 };
const white = { r: 1, g: 1, b: 1, a: 1 };

describe('mapGrid: tabs, modes and values', () => {
  test('a tab with one value column becomes a collection with one mode named after the header', () => {
    expect(mapGrid(grid(['Primitives', [['Name', 'Value'], ['color/brand/primary', '#0055ff'], ['spacing/4', 16]]]))).toEqual({
      collections: [
        {
          tabId: 1,
          name: 'Primitives',
          modes: [{ name: 'Value', column: 2 }],
          nameColumn: 1,
          variables: [
            variable('color/brand/primary', 'COLOR', 2, { Value: blue }, { Value: 2 }),
            variable('spacing/4', 'FLOAT', 3, { Value: 16 }, { Value: 2 }),
          ],
        },
      ],
      problems: [],
    });
  });

  test('every other header is a mode in column order, the first being the default', () => {
    const result = mapGrid(grid(['Theme', [['Light', 'Name', 'Dark'], ['#ffffff', 'bg', '#0055ff']]]));
    expect(result.collections[0]!.modes).toEqual([
      { name: 'Light', column: 1 },
      { name: 'Dark', column: 3 },
    ]);
    expect(result.collections[0]!.variables).toEqual([variable('bg', 'COLOR', 2, { Light: white, Dark: blue }, { Light: 1, Dark: 3 })]);
  });

  test('types are inferred per row: colour, number, px text, numeric text, boolean and string', () => {
    const result = mapGrid(
      grid([
        'T',
        [
          ['Name', 'Value'],
          ['c', 'rgb(0 85 255)'],
          ['n', 12.5],
          ['px', '16px'],
          ['px-space', '-4 PX'],
          ['text-number', '1e3'],
          ['b', true],
          ['s', 'Inter'],
          ['word-true', 'true'],
          ['date', '2024-05-01T00:00:00.000Z'],
        ],
      ]),
    );
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.variables.map((v) => [v.name, v.type, v.valuesByMode.Value])).toEqual([
      ['c', 'COLOR', blue],
      ['n', 'FLOAT', 12.5],
      ['px', 'FLOAT', 16],
      ['px-space', 'FLOAT', -4],
      ['text-number', 'FLOAT', 1000],
      ['b', 'BOOLEAN', true],
      ['s', 'STRING', 'Inter'],
      ['word-true', 'STRING', 'true'],
      ['date', 'STRING', '2024-05-01T00:00:00.000Z'],
    ]);
  });

  test('a Type column reads each value as that type, in any case and in Figma spelling', () => {
    const result = mapGrid(
      grid([
        'T',
        [
          ['Name', 'Value', 'Type'],
          ['named', 'red', 'Color'],
          ['size', '16px', 'number'],
          ['float', '2', 'FLOAT'],
          ['on', 'true', 'boolean'],
          ['off', 'FALSE', 'BOOLEAN'],
          ['digits', 12, 'string'],
          ['flag-text', true, 'STRING'],
          ['inferred', '#fff', ''],
        ],
      ]),
    );
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.typeColumn).toBe(3);
    expect(result.collections[0]!.variables.map((v) => [v.name, v.type, v.valuesByMode.Value])).toEqual([
      ['named', 'COLOR', { r: 1, g: 0, b: 0, a: 1 }],
      ['size', 'FLOAT', 16],
      ['float', 'FLOAT', 2],
      ['on', 'BOOLEAN', true],
      ['off', 'BOOLEAN', false],
      ['digits', 'STRING', '12'],
      ['flag-text', 'STRING', 'TRUE'],
      ['inferred', 'COLOR', white],
    ]);
  });

  test('Description, Hidden, Scopes and code syntax columns fill the variable', () => {
    const result = mapGrid(
      grid([
        'T',
        [
          ['Name', 'Value', 'Description', 'Hidden', 'Scopes', 'Web', 'Android', 'iOS'],
          ['space/4', '16px', ' Default gap ', true, 'gap, width_height', 'var(--space-4)', 'space4', 'Space.four'],
          ['space/8', '32px', '', 'false', '', '', '', ''],
        ],
      ]),
    );
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.variables).toEqual([
      variable('space/4', 'FLOAT', 2, { Value: 16 }, { Value: 2 }, {
        description: 'Default gap',
        hidden: true,
        scopes: ['GAP', 'WIDTH_HEIGHT'],
        codeSyntax: { WEB: 'var(--space-4)', ANDROID: 'space4', iOS: 'Space.four' },
      }),
      // An empty Scopes cell in a tab that has the column means Figma's default, so narrowed scopes widen again.
      variable('space/8', 'FLOAT', 3, { Value: 32 }, { Value: 2 }, { scopes: ['ALL_SCOPES'] }),
    ]);
  });

  test('without a Scopes column the scopes are left to Figma, and booleans never get scopes', () => {
    const noColumn = mapGrid(grid(['T', [['Name', 'Value'], ['space/4', 16]]]));
    expect(noColumn.collections[0]!.variables[0]!.scopes).toBeUndefined();
    const flag = mapGrid(grid(['T', [['Name', 'Value', 'Scopes'], ['beta', true, '']]]));
    expect(flag.problems).toEqual([]);
    expect(flag.collections[0]!.variables[0]!.scopes).toBeUndefined();
  });

  test('names are trimmed and their groups trimmed', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['  color / brand  ', '#fff']]]));
    expect(result.collections[0]!.variables.map((v) => v.name)).toEqual(['color/brand']);
  });

  test('a row of only empty cells is skipped silently', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['', ''], ['a', 1], ['  ', ' ']]]));
    expect(result).toEqual({
      collections: [{ tabId: 1, name: 'T', modes: [{ name: 'Value', column: 2 }], nameColumn: 1, variables: [variable('a', 'FLOAT', 3, { Value: 1 }, { Value: 2 })] }],
      problems: [],
    });
  });

  test('each colour value is its own object, so changing one changes no other', () => {
    const result = mapGrid(grid(['T', [['Name', 'A', 'B'], ['x', '#fff', '#fff'], ['y', '#fff', '']]]));
    const [x, y] = result.collections[0]!.variables;
    (x!.valuesByMode.A as { r: number }).r = 0;
    expect([x!.valuesByMode.B, y!.valuesByMode.A, y!.valuesByMode.B]).toEqual([white, white, white]);
  });
});

describe('mapGrid: value problems', () => {
  test('an empty cell in a non-default mode takes the default value, with a warning', () => {
    expect(mapGrid(grid(['T', [['Name', 'Light', 'Dark'], ['bg', '#fff', '']]]))).toEqual({
      collections: [
        {
          tabId: 1,
          name: 'T',
          modes: [
            { name: 'Light', column: 2 },
            { name: 'Dark', column: 3 },
          ],
          nameColumn: 1,
          variables: [variable('bg', 'COLOR', 2, { Light: white, Dark: white }, { Light: 2, Dark: 3 })],
        },
      ],
      problems: [
        problemInT('C2', 'warning', 'VALUE_MISSING_MODE', 'Empty in mode "Dark", so it repeats the default mode ("Light") value; fill it in if this mode should differ'),
      ],
    });
  });

  test('an empty default-mode cell is an error and the row is left out (listed as skipped)', () => {
    expect(mapGrid(grid(['T', [['Name', 'Light', 'Dark'], ['bg', '', '#fff'], ['fg', '#fff', '#fff']]]))).toEqual({
      collections: [
        {
          tabId: 1,
          name: 'T',
          modes: [
            { name: 'Light', column: 2 },
            { name: 'Dark', column: 3 },
          ],
          nameColumn: 1,
          variables: [variable('fg', 'COLOR', 3, { Light: white, Dark: white }, { Light: 2, Dark: 3 })],
          skippedRows: [{ row: 2, name: 'bg' }],
        },
      ],
      problems: [
        problemInT('B2', 'error', 'VALUE_MISSING_DEFAULT', '"bg" has no value in "Light", the default mode; every variable needs a default value (other modes may be left empty to repeat it)'),
      ],
    });
  });

  test('cells of only spaces count as empty', () => {
    expect(problemsOfT([['Name', 'A', 'B'], ['x', '  ', '1']]).map((p) => [p.cell, p.code])).toEqual([['B2', 'VALUE_MISSING_DEFAULT']]);
  });

  test('values of different types in one row are an error at the cell that disagrees', () => {
    expect(problemsOfT([['Name', 'Light', 'Dark'], ['border', '#e5e7eb', '16px']])).toEqual([
      problemInT('C2', 'error', 'TYPE_CONFLICT', '"16px" is a number but B2 makes this row a color; every mode of a variable has one type, so make them agree (or add a Type column to say which you mean)'),
    ]);
  });

  test('an unknown Type is an error at the Type cell', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['x', '6px', 'numbr']])).toEqual([
      problemInT('C2', 'error', 'TYPE_UNKNOWN', 'Type "numbr" is not a type; write color, number, string or boolean (or leave it empty to infer the type from the values)'),
    ]);
  });

  test('a value that is not a colour in a color row says what a colour looks like', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['x', 'blurple', 'color']])).toEqual([
      problemInT('B2', 'error', 'VALUE_NOT_COLOR', '"blurple" is not a colour; the Type column says color, so write a colour like #0055ff or rgb(0 85 255), or an alias like {color/blue/500}'),
    ]);
  });

  test('a number cell in a color row is not a colour', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['x', 12, 'color']]).map((p) => [p.cell, p.code])).toEqual([['B2', 'VALUE_NOT_COLOR']]);
  });

  test('a value that is not a number in a number row says what a number looks like', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['x', 'medium', 'number']])).toEqual([
      problemInT('B2', 'error', 'VALUE_NOT_NUMBER', '"medium" is not a number; the Type column says number, so write a number like 16 or 16px, or an alias like {spacing/4}'),
    ]);
  });

  test('Infinity and NaN are not numbers', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value', 'Type'], ['a', 'Infinity', 'number'], ['b', 'NaN', 'number'], ['c', Number.NaN, ''], ['d', '1e999', '']]]));
    expect(result.problems.map((p) => [p.cell, p.code])).toEqual([
      ['B2', 'VALUE_NOT_NUMBER'],
      ['B3', 'VALUE_NOT_NUMBER'],
      ['B4', 'VALUE_NOT_NUMBER'],
      ['B5', 'VALUE_NOT_NUMBER'],
    ]);
    expect(result.collections[0]!.variables).toEqual([]);
  });

  test('a value that is not a boolean in a boolean row says to write TRUE or FALSE', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['x', 'yes', 'boolean']])).toEqual([
      problemInT('B2', 'error', 'VALUE_NOT_BOOLEAN', '"yes" is not a boolean; the Type column says boolean, so write TRUE or FALSE, or an alias like {flags/beta}'),
    ]);
  });

  test('text that is nearly a colour is an error rather than a string', () => {
    expect(problemsOfT([['Name', 'Value'], ['x', '#0055f']])).toEqual([
      problemInT('B2', 'error', 'COLOR_MALFORMED', '"#0055f" looks like a colour but is not one; write #rgb, #rrggbb, #rrggbbaa, rgb(0 85 255), rgb(0 85 255 / 50%) or hsl(220 100% 50%)'),
    ]);
  });

  test('a colour outside sRGB is clamped with a warning and still maps', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['hot', 'rgb(300 0 0)']]]));
    expect(result.problems).toEqual([
      problemInT('B2', 'warning', 'COLOR_OUT_OF_GAMUT', '"rgb(300 0 0)" is outside the sRGB colours Figma stores, so it was clamped to the nearest one; use a colour inside sRGB to get exactly what you wrote'),
    ]);
    expect(result.collections[0]!.variables[0]!.valuesByMode.Value).toEqual({ r: 1, g: 0, b: 0, a: 1 });
  });

  test('a Hidden cell that is not TRUE or FALSE is an error', () => {
    expect(problemsOfT([['Name', 'Value', 'Hidden'], ['x', 1, 'maybe']])).toEqual([
      problemInT('C2', 'error', 'HIDDEN_INVALID', 'Hidden is "maybe"; write TRUE to hide the variable from publishing, FALSE or nothing to publish it'),
    ]);
  });

  test('scopes that do not fit the type are an error at the Scopes cell', () => {
    expect(problemsOfT([['Name', 'Value', 'Scopes'], ['x', '#fff', 'GAP']])).toEqual([
      problemInT('C2', 'error', 'SCOPE_NOT_FOR_TYPE', 'Scopes: GAP does not apply to color variables; for color variables use: ALL_SCOPES, ALL_FILLS, FRAME_FILL, SHAPE_FILL, TEXT_FILL, STROKE_COLOR, EFFECT_COLOR'),
    ]);
  });

  test('an unknown scope is an error at the Scopes cell', () => {
    expect(problemsOfT([['Name', 'Value', 'Scopes'], ['x', 'Inter', 'FONT']]).map((p) => [p.cell, p.code])).toEqual([['C2', 'SCOPE_UNKNOWN']]);
  });

  test('ALL_SCOPES with another scope is an error at the Scopes cell', () => {
    expect(problemsOfT([['Name', 'Value', 'Scopes'], ['x', 1, 'ALL_SCOPES, GAP']]).map((p) => [p.cell, p.code])).toEqual([['C2', 'SCOPE_CONFLICT']]);
  });

  test('a bad row never blocks the good rows around it', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['a', 1], ['b', '#12345'], ['c', 3]]]));
    expect(result.collections[0]!.variables.map((v) => v.name)).toEqual(['a', 'c']);
    expect(result.collections[0]!.skippedRows).toEqual([{ row: 3, name: 'b' }]);
  });
});

describe('mapGrid: names', () => {
  test('a row with values but no name is a warning and is left out', () => {
    expect(problemsOfT([['Name', 'Value'], ['', '#fff'], ['a', 1]])).toEqual([
      problemInT('A2', 'warning', 'NAME_MISSING', 'Row 2 has values but no name, so it is left out; write the variable\'s name here, e.g. "color/brand/primary"'),
    ]);
  });

  test('a name with "." is an error at the Name cell', () => {
    expect(problemsOfT([['Name', 'Value'], ['color.brand', '#fff']])).toEqual([
      problemInT('A2', 'error', 'NAME_FORBIDDEN_CHARACTER', 'Name "color.brand" contains "."; Figma does not allow ".", "{" or "}" in variable names. Use "/" for groups and "-" or "_" within a name, e.g. "spacing/1-5"'),
    ]);
  });

  test('a name with braces is an error at the Name cell', () => {
    expect(problemsOfT([['Name', 'Value'], ['{a}', '#fff']]).map((p) => [p.cell, p.code])).toEqual([['A2', 'NAME_FORBIDDEN_CHARACTER']]);
  });

  test('a name with "//" is an error at the Name cell', () => {
    expect(problemsOfT([['Name', 'Value'], ['color//brand', '#fff']])).toEqual([
      problemInT('A2', 'error', 'NAME_EMPTY_SEGMENT', 'Name "color//brand" has an empty group ("//"); every group between slashes needs a name, e.g. "color/brand/primary"'),
    ]);
  });

  test('a name with a leading or trailing "/" is an error at the Name cell', () => {
    expect(problemsOfT([['Name', 'Value'], ['/a', 1], ['b/', 2]]).map((p) => [p.cell, p.code])).toEqual([
      ['A2', 'NAME_EMPTY_SEGMENT'],
      ['A3', 'NAME_EMPTY_SEGMENT'],
    ]);
  });

  test('a repeated name is an error at the second row, naming the first, and the first still maps', () => {
    const result = mapGrid(grid(['T', [['Value', 'Name'], ['#fff', 'bg'], ['#000', 'bg']]]));
    expect(result.problems).toEqual([
      problemInT('B3', 'error', 'NAME_DUPLICATE', '"bg" is already the name of row 2 (B2); names must be unique in a collection, so this row is left out until one of them is renamed'),
    ]);
    expect(result.collections[0]!.variables).toEqual([variable('bg', 'COLOR', 2, { Value: white }, { Value: 1 })]);
  });

  test('names are unique after trimming groups', () => {
    expect(problemsOfT([['Name', 'Value'], ['a/b', 1], ['a / b', 2]]).map((p) => [p.cell, p.code])).toEqual([['A3', 'NAME_DUPLICATE']]);
  });

  test('names differing only in case both map, with a warning', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['Primary', 1], ['primary', 2]]]));
    expect(result.problems).toEqual([
      problemInT('A3', 'warning', 'NAME_CASE_CLASH', '"primary" differs from "Primary" (A2) only in letter case; they become two variables, and an alias must match the case exactly'),
    ]);
    expect(result.collections[0]!.variables.map((v) => v.name)).toEqual(['Primary', 'primary']);
  });

  test('every later name that differs only in case is warned against the first, non-ASCII letters included', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['Primary', 1], ['ü/a', 2], ['primary', 3], ['PRIMARY', 4], ['Ü/a', 5]]]));
    expect(result.problems.map((p) => [p.cell, p.code, p.message])).toEqual([
      ['A4', 'NAME_CASE_CLASH', '"primary" differs from "Primary" (A2) only in letter case; they become two variables, and an alias must match the case exactly'],
      ['A5', 'NAME_CASE_CLASH', '"PRIMARY" differs from "Primary" (A2) only in letter case; they become two variables, and an alias must match the case exactly'],
      ['A6', 'NAME_CASE_CLASH', '"Ü/a" differs from "ü/a" (A3) only in letter case; they become two variables, and an alias must match the case exactly'],
    ]);
    expect(result.collections[0]!.variables).toHaveLength(5);
  });

  test('values in a column without a header are ignored with one warning for that column', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value', ''], ['a', 1, 'x'], ['b', 2, 'y']]]));
    expect(result.problems).toEqual([
      problemInT('C2', 'warning', 'HEADER_EMPTY_WITH_DATA', 'This column has values but no header in row 1, so it is ignored; give it a header (a mode name such as "Dark") or clear it'),
    ]);
    expect(result.collections[0]!.variables.map((v) => v.valuesByMode)).toEqual([{ Value: 1 }, { Value: 2 }]);
  });
});

describe('mapGrid: tabs and limits', () => {
  test('a tab without a Name header gets one error at A1 and no collection; other tabs still map', () => {
    const result = mapGrid(grid(['Broken', [['Token', 'Value'], ['a', 1]]], ['Good', [['Name', 'Value'], ['a', 1]]]));
    expect(result.collections.map((c) => c.name)).toEqual(['Good']);
    expect(result.problems).toEqual([
      {
        tab: 'Broken',
        cell: 'A1',
        severity: 'error',
        code: 'HEADER_NAME_MISSING',
        message: 'This tab needs a header row with a "Name" column (row 1 has "Token", "Value"); put "Name" in row 1 above the variable names, and a mode name such as "Value" above the values',
      },
    ]);
  });

  test('an empty tab gets the Name header error', () => {
    expect(mapGrid(grid(['Empty', []])).problems.map((p) => [p.tab, p.cell, p.code])).toEqual([['Empty', 'A1', 'HEADER_NAME_MISSING']]);
  });

  test('a tab with an empty name is an error at A1', () => {
    expect(mapGrid({ tabs: [{ tabId: 7, name: ' ', rows: [['Name', 'Value'], ['a', 1]] }] })).toEqual({
      collections: [],
      problems: [{ tab: ' ', cell: 'A1', severity: 'error', code: 'TAB_NAME_EMPTY', message: 'The tab with id 7 has no name; a collection needs one, so give the tab a name' }],
    });
  });

  test('a second tab with the same name is an error at its A1 and is left out', () => {
    const result = mapGrid(grid(['Colors', [['Name', 'Value'], ['a', 1]]], ['Colors', [['Name', 'Value'], ['b', 2]]]));
    expect(result.collections.map((c) => [c.tabId, c.name])).toEqual([[1, 'Colors']]);
    expect(result.problems).toEqual([
      {
        tab: 'Colors',
        cell: 'A1',
        severity: 'error',
        code: 'TAB_NAME_DUPLICATE',
        message: 'Another synced tab is also named "Colors"; collections are found by tab name (e.g. in {Colors::name}), so this tab is left out until one of them is renamed',
      },
    ]);
  });

  test('5,000 variables map and the 5,001st named row is one error; later rows are left out', () => {
    const rows: CellValue[][] = [['Name', 'Value']];
    for (let i = 1; i <= 5002; i++) rows.push([`v/${i}`, i]);
    const result = mapGrid(grid(['Big', rows]));
    expect(result.collections[0]!.variables).toHaveLength(5000);
    expect(result.collections[0]!.variables[4999]!.name).toBe('v/5000');
    expect(result.problems).toEqual([
      {
        tab: 'Big',
        cell: 'A5002',
        severity: 'error',
        code: 'VARIABLE_LIMIT',
        message: "This tab already has 5,000 variables, Figma's limit per collection, so this row and the 1 named row after it are left out; move them to another tab",
      },
    ]);
  });

  test('41 mode columns map 40 modes, with an error at the 41st header', () => {
    const header = ['Name', ...Array.from({ length: 41 }, (_, i) => `m${i + 1}`)];
    const row = ['x', ...Array.from({ length: 41 }, (_, i) => i)];
    const result = mapGrid(grid(['Wide', [header, row]]));
    expect(result.collections[0]!.modes).toHaveLength(40);
    expect(Object.keys(result.collections[0]!.variables[0]!.valuesByMode)).toHaveLength(40);
    expect(result.problems.map((p) => [p.cell, p.code])).toEqual([['AP1', 'MODE_LIMIT']]);
  });

  test('a row that throws while being read is MAPPER_INTERNAL at its first cell, and the other rows map', () => {
    const bad: CellValue[] = ['boom', 1];
    Object.defineProperty(bad, 1, {
      get() {
        throw new Error('cell unreadable');
      },
    });
    const result = mapGrid({ tabs: [{ tabId: 1, name: 'T', rows: [['Name', 'Value'], ['a', 1], bad, ['b', 2]] }] });
    expect(result.problems).toEqual([
      problemInT('A3', 'error', 'MAPPER_INTERNAL', "The mapper failed on this row (cell unreadable); the row is left out and the rest of the tab still maps. Please report this with the row's contents"),
    ]);
    expect(result.collections[0]!.variables.map((v) => v.name)).toEqual(['a', 'b']);
  });

  test('a tab that throws while being read is MAPPER_INTERNAL at its A1, and the other tabs map', () => {
    const broken = {
      tabId: 1,
      name: 'Broken',
      get rows(): CellValue[][] {
        throw new Error('rows unreadable');
      },
    };
    const result = mapGrid({ tabs: [broken, { tabId: 2, name: 'Good', rows: [['Name', 'Value'], ['a', 1]] }] });
    expect(result.problems).toEqual([
      {
        tab: 'Broken',
        cell: 'A1',
        severity: 'error',
        code: 'MAPPER_INTERNAL',
        message: "The mapper failed on this tab (rows unreadable); the other tabs still map. Please report this with the tab's header row",
      },
    ]);
    expect(result.collections.map((c) => c.name)).toEqual(['Good']);
  });

  test('problems come ordered by tab, then row, then column', () => {
    const result = mapGrid(grid(['A', [['Name', 'X', 'Y'], ['b', '', '#fff'], ['a', '#fff', '']]], ['B', [['Nope']]]));
    expect(result.problems.map((p) => `${p.tab}!${p.cell}`)).toEqual(['A!B2', 'A!C3', 'B!A1']);
  });
});

describe('mapGrid: what real token sets contain', () => {
  test('color(display-p3 …) without a Type column is a colour', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['grey', 'color(display-p3 0.5 0.5 0.5)']]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.variables[0]!.type).toBe('COLOR');
  });

  test('a saturated P3 colour is clamped with a warning at its cell', () => {
    expect(problemsOfT([['Name', 'Value'], ['red', 'color(display-p3 1 0 0)']]).map((p) => [p.cell, p.code])).toEqual([['B2', 'COLOR_OUT_OF_GAMUT']]);
  });

  test('rem, em, ms and s in a number row are errors that say what to write', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['a', '0.25rem', 'number'], ['b', '-0.05em', 'number'], ['c', '150ms', 'number'], ['d', '1.5s', 'number']])).toEqual([
      problemInT('B2', 'error', 'VALUE_NOT_NUMBER', '"0.25rem" is a number with a unit the sync does not convert: Figma numbers have no unit, so to make it a number write 4 or 4px (0.25rem at 16 px per rem)'),
      problemInT('B3', 'error', 'VALUE_NOT_NUMBER', '"-0.05em" is a number with a unit the sync does not convert: em depends on the font size where it is used, which a Figma number cannot know, so to make it a number write it in px for your font size (at 16 px, -0.8)'),
      problemInT('B4', 'error', 'VALUE_NOT_NUMBER', '"150ms" is a number with a unit the sync does not convert: Figma numbers have no unit, so to make it a number write 150 (milliseconds)'),
      problemInT('B5', 'error', 'VALUE_NOT_NUMBER', '"1.5s" is a number with a unit the sync does not convert: Figma numbers have no unit, so to make it a number write 1500 (milliseconds) or 1.5 (seconds)'),
    ]);
  });

  test('values that become strings because they look like something else are warned, and still map as strings', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['ring', '240 5.9% 10%'], ['space', '0.25rem'], ['blue', '59 130 246'], ['mix', 'color-mix(in oklch, red, blue)'], ['font', 'Inter']]]));
    expect(result.problems).toEqual([
      problemInT('B2', 'warning', 'STRING_LOOKS_LIKE_COLOR', '"240 5.9% 10%" looks like the channels of a colour without its function (as shadcn/ui and Tailwind write them), so it stays a string; write hsl(240 5.9% 10%) to make it a colour, or, to keep it as text without this warning, write string in the row\'s Type column'),
      problemInT('B3', 'warning', 'STRING_LOOKS_LIKE_NUMBER', '"0.25rem" looks like a number with a unit, so it stays a string: Figma numbers have no unit, so to make it a number write 4 or 4px (0.25rem at 16 px per rem); to keep it as text without this warning, write string in the row\'s Type column'),
      problemInT('B4', 'warning', 'STRING_LOOKS_LIKE_COLOR', '"59 130 246" looks like the channels of a colour without its function (as shadcn/ui and Tailwind write them), so it stays a string; write rgb(59 130 246) to make it a colour, or, to keep it as text without this warning, write string in the row\'s Type column'),
      problemInT('B5', 'warning', 'STRING_LOOKS_LIKE_COLOR', '"color-mix(in oklch, red, blue)" is a colour the sync cannot read, so it stays a string: color-mix() is mixed by the browser when the page is drawn, and a Figma variable holds one fixed colour; write the mixed colour itself (e.g. as oklch() or #rrggbb); to keep it as text without this warning, write string in the row\'s Type column'),
    ]);
    expect(result.collections[0]!.variables.map((v) => v.type)).toEqual(['STRING', 'STRING', 'STRING', 'STRING', 'STRING']);
  });

  test('a row typed string gets no look-alike warnings', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['ring', '240 5.9% 10%', 'string'], ['space', '0.25rem', 'string']])).toEqual([]);
  });

  test('a colour the sync cannot read in a row typed color is an error saying why', () => {
    expect(problemsOfT([['Name', 'Value', 'Type'], ['a', 'color(rec2020 1 0 0)', 'color'], ['b', 'var(--brand)', 'color'], ['c', '240 5.9% 10%', 'color']])).toEqual([
      problemInT('B2', 'error', 'VALUE_NOT_COLOR', '"color(rec2020 1 0 0)" is a colour the sync cannot read: its colour space rec2020 is not one the sync converts (it reads color(srgb …) and color(display-p3 …)); convert the colour to oklch() or #rrggbb'),
      problemInT('B3', 'error', 'VALUE_NOT_COLOR', '"var(--brand)" is a colour the sync cannot read: var() refers to a CSS custom property the sheet does not know; write the colour, or an alias like {color/blue/500}'),
      problemInT('B4', 'error', 'VALUE_NOT_COLOR', '"240 5.9% 10%" are the channels of a colour without its function; write hsl(240 5.9% 10%)'),
    ]);
  });

  test('with units asked for, a number row written with px records it; without, the model is as before', () => {
    const sheet = grid(['T', [['Name', 'A', 'B'], ['space', '16px', 12], ['plain', 4, 8], ['alias', '{space}', '{plain}']]]);
    expect(mapGrid(sheet, { units: true }).collections[0]!.variables.map((v) => [v.name, v.unit])).toEqual([['space', 'px'], ['plain', undefined], ['alias', undefined]]);
    expect(mapGrid(sheet).collections[0]!.variables.some((v) => 'unit' in v)).toBe(false);
  });
});
