import { parseAlias } from '../../../shared/sheet/alias';
import { normalizeRows, type CellValue, type Grid } from '../../../shared/protocol/grid';
import { mapGrid } from '../../../shared/sheet/mapper';

function grid(...tabs: [string, CellValue[][]][]): Grid {
  return { tabs: tabs.map(([name, rows], i) => ({ tabId: i + 1, name, rows: normalizeRows(rows) })) };
}

const white = { r: 1, g: 1, b: 1, a: 1 };
const black = { r: 0, g: 0, b: 0, a: 1 };

describe('parseAlias', () => {
  test('{name} names a variable', () => {
    expect(parseAlias('{color/brand/primary}')).toEqual({ ok: true, ref: { name: 'color/brand/primary', whole: 'color/brand/primary', text: '{color/brand/primary}' } });
  });

  test('spaces inside the braces and around groups are trimmed', () => {
    expect(parseAlias('{ color / brand }')).toEqual({ ok: true, ref: { name: 'color/brand', whole: 'color/brand', text: '{ color / brand }' } });
  });

  test('{Tab::name} names a tab and a variable', () => {
    expect(parseAlias('{Primitives :: color/blue/500}')).toEqual({
      ok: true,
      ref: { tab: 'Primitives', name: 'color/blue/500', whole: 'Primitives :: color/blue/500', text: '{Primitives :: color/blue/500}' },
    });
  });

  test('empty braces are malformed', () => {
    expect(parseAlias('{}')).toEqual({ ok: false, message: '"{}" names no variable; write it as {color/brand/primary}, or {Primitives::color/brand/primary} to choose a tab' });
  });

  test('a missing closing brace is malformed', () => {
    expect(parseAlias('{color/brand')).toEqual({ ok: false, message: '"{color/brand" is not a valid alias; write it as {color/brand/primary}, or {Primitives::color/brand/primary} to choose a tab' });
  });

  test('a missing opening brace is malformed', () => {
    expect(parseAlias('color/brand}')).toEqual({ ok: false, message: '"color/brand}" is not a valid alias; write it as {color/brand/primary}, or {Primitives::color/brand/primary} to choose a tab' });
  });

  test('nested braces are malformed', () => {
    expect(parseAlias('{{color}}')).toEqual({ ok: false, message: '"{{color}}" is not a valid alias; write it as {color/brand/primary}, or {Primitives::color/brand/primary} to choose a tab' });
  });

  test('dotted names (other tools’ syntax) are malformed with the slash spelling suggested', () => {
    expect(parseAlias('{color.brand.primary}')).toEqual({ ok: false, message: '"{color.brand.primary}" uses "." but Figma names group with "/"; write {color/brand/primary}' });
  });

  test('"::" without a tab is malformed', () => {
    expect(parseAlias('{::color}')).toEqual({ ok: false, message: '"{::color}" needs both a tab and a name around "::"; write it as {color/brand/primary}, or {Primitives::color/brand/primary} to choose a tab' });
  });

  test('"::" without a name is malformed', () => {
    expect(parseAlias('{Primitives::}')).toEqual({ ok: false, message: '"{Primitives::}" needs both a tab and a name around "::"; write it as {color/brand/primary}, or {Primitives::color/brand/primary} to choose a tab' });
  });

  test('a name breaking a naming rule is malformed', () => {
    expect(parseAlias('{color//brand}')).toEqual({
      ok: false,
      message: '"{color//brand}" names no valid variable: the name has an empty group ("//"); every group between slashes needs a name, e.g. "color/brand/primary"',
    });
  });
});

describe('alias resolution in mapGrid', () => {
  test('an alias becomes {alias: {collection, name}} and takes its target’s type', () => {
    const result = mapGrid(grid(['P', [['Name', 'Value'], ['white', '#fff'], ['bg', '{white}']]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.variables[1]).toEqual({
      name: 'bg',
      type: 'COLOR',
      valuesByMode: { Value: { alias: { collection: 'P', name: 'white' } } },
      description: '',
      hidden: false,
      codeSyntax: {},
      row: 3,
      valueColumns: { Value: 2 },
    });
  });

  test('the same tab wins over other tabs with the same name', () => {
    const result = mapGrid(grid(['A', [['Name', 'Value'], ['x', '#fff']]], ['B', [['Name', 'Value'], ['x', '#000'], ['y', '{x}']]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[1]!.variables[1]!.valuesByMode).toEqual({ Value: { alias: { collection: 'B', name: 'x' } } });
  });

  test('a name found in exactly one other tab resolves there', () => {
    const result = mapGrid(grid(['Primitives', [['Name', 'Value'], ['gray/900', '#000']]], ['Semantic', [['Name', 'Light', 'Dark'], ['bg', '#fff', '{gray/900}']]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[1]!.variables[0]!.valuesByMode).toEqual({ Light: white, Dark: { alias: { collection: 'Primitives', name: 'gray/900' } } });
  });

  test('{Tab::name} chooses the tab, ignoring letter case in the tab name', () => {
    const result = mapGrid(grid(['A', [['Name', 'Value'], ['x', '#fff']]], ['B', [['Name', 'Value'], ['x', '#000']]], ['C', [['Name', 'Value'], ['y', '{a::x}'], ['z', '{B::x}']]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[2]!.variables.map((v) => v.valuesByMode.Value)).toEqual([{ alias: { collection: 'A', name: 'x' } }, { alias: { collection: 'B', name: 'x' } }]);
  });

  test('a name that itself contains "::" resolves when the part before it is no tab', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['ns::x', 1], ['y', '{ns::x}']]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.variables[1]!.valuesByMode).toEqual({ Value: { alias: { collection: 'T', name: 'ns::x' } } });
  });

  test('an empty mode cell repeats the default mode’s alias', () => {
    const result = mapGrid(grid(['T', [['Name', 'Light', 'Dark'], ['white', '#fff', '#fff'], ['bg', '{white}', '']]]));
    expect(result.collections[0]!.variables[1]!.valuesByMode).toEqual({ Light: { alias: { collection: 'T', name: 'white' } }, Dark: { alias: { collection: 'T', name: 'white' } } });
  });

  test('an alias to a repeated name points at the first row of that name', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['x', 1], ['x', 2], ['y', '{x}']]]));
    expect(result.collections[0]!.variables.map((v) => [v.name, v.row])).toEqual([
      ['x', 2],
      ['y', 4],
    ]);
  });

  test('a chain of aliases resolves to the type at its end', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['c', '{b}'], ['b', '{a}'], ['a', 4]]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.variables.map((v) => [v.name, v.type])).toEqual([
      ['c', 'FLOAT'],
      ['b', 'FLOAT'],
      ['a', 'FLOAT'],
    ]);
  });

  test('a chain 8,000 aliases long across two tabs resolves without exhausting the stack', () => {
    const a: CellValue[][] = [['Name', 'Value']];
    const b: CellValue[][] = [['Name', 'Value']];
    for (let i = 0; i < 4000; i++) {
      a.push([`a${i}`, i === 3999 ? '{B::b0}' : `{a${i + 1}}`]);
      b.push([`b${i}`, i === 3999 ? '#000' : `{b${i + 1}}`]);
    }
    const result = mapGrid(grid(['A', a], ['B', b]));
    expect(result.problems).toEqual([]);
    expect(result.collections.map((c) => c.variables.filter((v) => v.type === 'COLOR').length)).toEqual([4000, 4000]);
  });
});

describe('alias failures', () => {
  test('an alias to no variable anywhere is ALIAS_MISSING at its cell', () => {
    expect(mapGrid(grid(['T', [['Name', 'Value'], ['bg', '{color/brand/primery}']]]))).toEqual({
      collections: [{ tabId: 1, name: 'T', modes: [{ name: 'Value', column: 2 }], nameColumn: 1, variables: [], skippedRows: [{ row: 2, name: 'bg' }] }],
      problems: [
        {
          tab: 'T',
          cell: 'B2',
          severity: 'error',
          code: 'ALIAS_MISSING',
          message: '{color/brand/primery} points at no variable: no row is named "color/brand/primery" in this tab or any synced tab; check the spelling, or add a row with that name',
        },
      ],
    });
  });

  test('an alias that differs from a name only in case suggests that name', () => {
    expect(mapGrid(grid(['P', [['Name', 'Value'], ['Gray/900', '#000']]], ['S', [['Name', 'Value'], ['bg', '{gray/900}']]])).problems).toEqual([
      {
        tab: 'S',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_MISSING',
        message: '{gray/900} points at no variable: no row is named "gray/900" in this tab or any synced tab; did you mean {P::Gray/900}? (names are case-sensitive)',
      },
    ]);
  });

  test('{Tab::name} with a name the tab lacks is ALIAS_MISSING naming the tab', () => {
    expect(mapGrid(grid(['P', [['Name', 'Value'], ['a', 1]]], ['S', [['Name', 'Value'], ['b', '{P::c}']]])).problems).toEqual([
      {
        tab: 'S',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_MISSING',
        message: '{P::c}: tab "P" has no variable named "c"; check the spelling, or add a row with that name',
      },
    ]);
  });

  test('{Tab::name} naming no synced tab is ALIAS_UNKNOWN_TAB listing the synced tabs', () => {
    expect(mapGrid(grid(['Primitives', [['Name', 'Value'], ['a', 1]]], ['S', [['Name', 'Value'], ['b', '{Prims::a}']]])).problems).toEqual([
      {
        tab: 'S',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_UNKNOWN_TAB',
        message: '{Prims::a} names tab "Prims", which is not a synced tab; synced tabs: Primitives, S',
      },
    ]);
  });

  test('a name found in several other tabs (and not this one) is ALIAS_AMBIGUOUS listing them', () => {
    expect(mapGrid(grid(['A', [['Name', 'Value'], ['x', 1]]], ['B', [['Name', 'Value'], ['x', 2]]], ['C', [['Name', 'Value'], ['y', '{x}']]])).problems).toEqual([
      {
        tab: 'C',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_AMBIGUOUS',
        message: '{x} is not in this tab and is in 2 synced tabs (A, B); choose one, e.g. {A::x}',
      },
    ]);
  });

  test('an alias to its own row is ALIAS_CYCLE', () => {
    expect(mapGrid(grid(['T', [['Name', 'Value'], ['x', '{x}']]])).problems).toEqual([
      {
        tab: 'T',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_CYCLE',
        message: '{x} points at this variable itself; an alias must lead to a value, so point it at another variable or write a value',
      },
    ]);
  });

  test('an alias to its own name, meant for another tab, suggests Tab::', () => {
    expect(mapGrid(grid(['P', [['Name', 'Value'], ['x', 1]]], ['S', [['Name', 'Value'], ['x', '{x}']]])).problems).toEqual([
      {
        tab: 'S',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_CYCLE',
        message: '{x} points at this variable itself; an alias looks in its own tab first; to mean the one in P, write {P::x}',
      },
    ]);
  });

  test('two rows aliasing each other are each ALIAS_CYCLE at the cell that continues the loop', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['a', '{b}'], ['b', '{a}'], ['c', 1]]]));
    const message = (text: string) => `${text} is part of an alias loop (a → b → a); an alias chain must end at a value, so point one of these at a colour, number, string or boolean`;
    expect(result.problems).toEqual([
      { tab: 'T', cell: 'B2', severity: 'error', code: 'ALIAS_CYCLE', message: message('{b}') },
      { tab: 'T', cell: 'B3', severity: 'error', code: 'ALIAS_CYCLE', message: message('{a}') },
    ]);
    expect(result.collections[0]!.variables.map((v) => v.name)).toEqual(['c']);
  });

  test('a loop through three tabs names each tab in the loop', () => {
    const result = mapGrid(grid(['A', [['Name', 'Value'], ['x', '{B::y}']]], ['B', [['Name', 'Value'], ['y', '{C::z}']]], ['C', [['Name', 'Value'], ['z', '{A::x}']]]));
    expect(result.problems.map((p) => [p.tab, p.cell, p.code])).toEqual([
      ['A', 'B2', 'ALIAS_CYCLE'],
      ['B', 'B2', 'ALIAS_CYCLE'],
      ['C', 'B2', 'ALIAS_CYCLE'],
    ]);
    expect(result.problems[0]!.message).toBe('{B::y} is part of an alias loop (A::x → B::y → C::z → A::x); an alias chain must end at a value, so point one of these at a colour, number, string or boolean');
  });

  test('a loop in one mode only is still a loop', () => {
    const result = mapGrid(grid(['T', [['Name', 'Light', 'Dark'], ['a', 1, '{b}'], ['b', '{a}', 2]]]));
    expect(result.problems.map((p) => [p.cell, p.code])).toEqual([
      ['C2', 'ALIAS_CYCLE'],
      ['B3', 'ALIAS_CYCLE'],
    ]);
  });

  test('an alias to a row of another type is ALIAS_TYPE_MISMATCH', () => {
    expect(mapGrid(grid(['T', [['Name', 'Value', 'Type'], ['white', '#fff', ''], ['gap', '{white}', 'number']]])).problems).toEqual([
      {
        tab: 'T',
        cell: 'B3',
        severity: 'error',
        code: 'ALIAS_TYPE_MISMATCH',
        message: '{white} points at a color variable, but gap is a number (the Type column says number); every mode of a variable has one type, so alias a number variable instead',
      },
    ]);
  });

  test('an alias whose type differs from the row’s other values is ALIAS_TYPE_MISMATCH', () => {
    expect(mapGrid(grid(['T', [['Name', 'A', 'B'], ['n', 4, 4], ['x', 8, '{n}'], ['y', '#fff', '{n}']]])).problems).toEqual([
      {
        tab: 'T',
        cell: 'C4',
        severity: 'error',
        code: 'ALIAS_TYPE_MISMATCH',
        message: '{n} points at a number variable, but y is a color (its other values are colors); every mode of a variable has one type, so alias a color variable instead',
      },
    ]);
  });

  test('a row of aliases to different types is ALIAS_TYPE_MISMATCH at the later alias', () => {
    expect(mapGrid(grid(['T', [['Name', 'A', 'B'], ['n', 4, 4], ['c', '#fff', '#000'], ['x', '{c}', '{n}']]])).problems).toEqual([
      {
        tab: 'T',
        cell: 'C4',
        severity: 'error',
        code: 'ALIAS_TYPE_MISMATCH',
        message: '{n} points at a number variable, but x is a color (its first alias points at a color variable); every mode of a variable has one type, so alias a color variable instead',
      },
    ]);
  });

  test('an alias to a row with errors is ALIAS_TARGET_BROKEN pointing at that row', () => {
    expect(mapGrid(grid(['P', [['Name', 'Value'], ['blue', '#12345']]], ['S', [['Name', 'Value'], ['link', '{blue}']]])).problems).toEqual([
      {
        tab: 'P',
        cell: 'B2',
        severity: 'error',
        code: 'COLOR_MALFORMED',
        message: '"#12345" looks like a colour but is not one; write #rgb, #rrggbb, #rrggbbaa, rgb(0 85 255), rgb(0 85 255 / 50%) or hsl(220 100% 50%)',
      },
      {
        tab: 'S',
        cell: 'B2',
        severity: 'error',
        code: 'ALIAS_TARGET_BROKEN',
        message: '{blue} points at P::blue (P!A2), which has errors; fix that row first',
      },
    ]);
  });

  test('a broken row breaks every row that leads to it through a chain', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['a', '{b}'], ['b', '{c}'], ['c', '{nowhere}'], ['d', '{a}'], ['ok', 1]]]));
    expect(result.problems.map((p) => [p.cell, p.code])).toEqual([
      ['B2', 'ALIAS_TARGET_BROKEN'],
      ['B3', 'ALIAS_TARGET_BROKEN'],
      ['B4', 'ALIAS_MISSING'],
      ['B5', 'ALIAS_TARGET_BROKEN'],
    ]);
    expect(result.collections[0]!.variables.map((v) => v.name)).toEqual(['ok']);
  });

  test('a row leading into a loop is ALIAS_TARGET_BROKEN, not part of the loop', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['in', '{a}'], ['a', '{b}'], ['b', '{a}']]]));
    expect(result.problems.map((p) => [p.cell, p.code])).toEqual([
      ['B2', 'ALIAS_TARGET_BROKEN'],
      ['B3', 'ALIAS_CYCLE'],
      ['B4', 'ALIAS_CYCLE'],
    ]);
  });

  test('an alias into a tab whose header has errors is ALIAS_TARGET_BROKEN naming that tab', () => {
    const result = mapGrid(grid(['P', [['Token', 'Value'], ['a', 1]]], ['S', [['Name', 'Value'], ['b', '{P::a}']]]));
    expect(result.problems).toEqual([
      {
        tab: 'P',
        cell: 'A1',
        severity: 'error',
        code: 'HEADER_NAME_MISSING',
        message: 'This tab needs a header row with a "Name" column (row 1 has "Token", "Value"); put "Name" in row 1 above the variable names, and a mode name such as "Value" above the values',
      },
      { tab: 'S', cell: 'B2', severity: 'error', code: 'ALIAS_TARGET_BROKEN', message: '{P::a} points into tab "P", whose header row has errors (see P!A1); fix that tab first' },
    ]);
  });

  test('a malformed alias is ALIAS_MALFORMED at its cell', () => {
    expect(mapGrid(grid(['T', [['Name', 'Value'], ['x', '{color.brand}']]])).problems).toEqual([
      { tab: 'T', cell: 'B2', severity: 'error', code: 'ALIAS_MALFORMED', message: '"{color.brand}" uses "." but Figma names group with "/"; write {color/brand}' },
    ]);
  });

  test('a value with braces in the middle is a string, not an alias', () => {
    const result = mapGrid(grid(['T', [['Name', 'Value'], ['greeting', 'Hello {name}!']]]));
    expect(result.problems).toEqual([]);
    expect(result.collections[0]!.variables[0]!.valuesByMode).toEqual({ Value: 'Hello {name}!' });
  });

  test('an aliased boolean row accepts boolean scopes checks after the type is known', () => {
    expect(mapGrid(grid(['T', [['Name', 'Value', 'Scopes'], ['on', true, ''], ['alias', '{on}', 'ALL_SCOPES']]])).problems.map((p) => [p.cell, p.code])).toEqual([['C3', 'SCOPE_NOT_FOR_TYPE']]);
  });

  test('colour values used in examples stay distinct from aliases', () => {
    const result = mapGrid(grid(['T', [['Name', 'A', 'B'], ['black', '#000', '#000'], ['fg', '{black}', '#fff']]]));
    expect(result.collections[0]!.variables[1]!.valuesByMode).toEqual({ A: { alias: { collection: 'T', name: 'black' } }, B: white });
    expect(result.collections[0]!.variables[0]!.valuesByMode).toEqual({ A: black, B: black });
  });
});
