import { normalizeRows, type CellValue, type Grid } from '../../../shared/protocol/grid';
import { mapGrid } from '../../../shared/sheet/mapper';
import type { MappedCollection } from '../../../shared/sheet/model';
import { checkTokenOptions, exportTokens, fileSafe, TokenOptionError, type TokenExportOptions } from '../../../shared/tokens/export-tokens';

function grid(...tabs: [string, CellValue[][]][]): Grid {
  return { tabs: tabs.map(([name, rows], i) => ({ tabId: i + 1, name, rows: normalizeRows(rows) })) };
}

function collections(...tabs: [string, CellValue[][]][]): MappedCollection[] {
  const result = mapGrid(grid(...tabs), { units: true });
  expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
  return result.collections;
}

/** The exported files as {path: parsed JSON or text}. */
function files(cols: MappedCollection[], options: TokenExportOptions): Record<string, unknown> {
  const out = exportTokens(cols, options);
  return Object.fromEntries(out.files.map((f) => [f.path, f.path.endsWith('.css') ? f.text : JSON.parse(f.text)]));
}

const EXT = 'com.sheets-figma-sync';
const sheet = (): MappedCollection[] =>
  collections(
    ['Primitives', [['Name', 'Value', 'Description'], ['color/blue', '#0055ff', 'Brand'], ['space/4', '16px', ''], ['opacity', 0.5, ''], ['font', 'Inter', '']]],
    ['Semantic', [['Name', 'Light', 'Dark', 'Scopes', 'Web'], ['accent', '{color/blue}', 'rgba(0, 0, 0, 0.5)', 'ALL_FILLS', 'var(--accent)'], ['flag', true, false, '', '']]],
  );

describe('exportTokens: DTCG 2025.10, resolver layout', () => {
  test('writes one file per collection and mode, and a resolver document with a set per single-mode tab and a modifier per tab with modes', () => {
    const out = files(sheet(), { format: 'dtcg' });
    expect(Object.keys(out)).toEqual(['Primitives/Value.tokens.json', 'Semantic/Light.tokens.json', 'Semantic/Dark.tokens.json', 'tokens.resolver.json']);
    expect(out['tokens.resolver.json']).toEqual({
      $schema: 'https://www.designtokens.org/schemas/2025.10/resolver.json',
      name: 'Sheet variables',
      version: '2025.10',
      description: expect.any(String),
      sets: { Primitives: { sources: [{ $ref: 'Primitives/Value.tokens.json' }] } },
      modifiers: { Semantic: { contexts: { Light: [{ $ref: 'Semantic/Light.tokens.json' }], Dark: [{ $ref: 'Semantic/Dark.tokens.json' }] }, default: 'Light' } },
      resolutionOrder: [{ $ref: '#/sets/Primitives' }, { $ref: '#/modifiers/Semantic' }],
    });
  });

  test('colours are {colorSpace, components, alpha, hex}, px numbers dimensions, other numbers numbers, text string, with descriptions', () => {
    const primitives = (files(sheet(), { format: 'dtcg' })['Primitives/Value.tokens.json'] as Record<string, Record<string, Record<string, Record<string, unknown>>>>).Primitives!;
    expect(primitives.color!.blue).toEqual({
      $type: 'color',
      $value: { colorSpace: 'srgb', components: [0, 85 / 255, 1], alpha: 1, hex: '#0055ff' },
      $description: 'Brand',
      $extensions: { [EXT]: { variable: 'color/blue', type: 'COLOR', hidden: false } },
    });
    expect(primitives.space!['4']).toMatchObject({ $type: 'dimension', $value: { value: 16, unit: 'px' } });
    expect(primitives.opacity).toMatchObject({ $type: 'number', $value: 0.5 });
    expect(primitives.font).toMatchObject({ $type: 'string', $value: 'Inter' });
  });

  test('an alias is a reference across collections with no $type of its own, and the extension keeps scopes and code syntax', () => {
    const out = files(sheet(), { format: 'dtcg' });
    const light = (out['Semantic/Light.tokens.json'] as Record<string, Record<string, unknown>>).Semantic!;
    const dark = (out['Semantic/Dark.tokens.json'] as Record<string, Record<string, unknown>>).Semantic!;
    const modes = { Light: '{Primitives.color.blue}', Dark: { colorSpace: 'srgb', components: [0, 0, 0], alpha: 0.5, hex: '#000000' } };
    const extension = { variable: 'accent', type: 'COLOR', hidden: false, scopes: ['ALL_FILLS'], codeSyntax: { WEB: 'var(--accent)' } };
    expect(light.accent).toEqual({ $value: '{Primitives.color.blue}', $extensions: { [EXT]: extension } });
    expect(dark.accent).toEqual({ $type: 'color', $value: modes.Dark, $extensions: { [EXT]: extension } });
    expect(light.flag).toMatchObject({ $type: 'boolean', $value: true });
    expect(dark.flag).toMatchObject({ $type: 'boolean', $value: false });
    expect(light.$extensions).toEqual({ [EXT]: { collection: 'Semantic', modes: ['Light', 'Dark'], mode: 'Light' } });
  });

  test('a variable that is also a group becomes the group\'s $root token, and references name it', () => {
    const cols = collections(['T', [['Name', 'Value'], ['color', '#fff'], ['color/red', '#f00'], ['alias', '{color}']]]);
    const t = (files(cols, { format: 'dtcg' })['T/Value.tokens.json'] as Record<string, Record<string, Record<string, Record<string, unknown>>>>).T!;
    expect(t.color!.$root).toMatchObject({ $type: 'color' });
    expect(t.color!.red).toMatchObject({ $type: 'color' });
    expect(t.alias).toMatchObject({ $value: '{T.color.$root}' });
  });

  test('a string scoped only to FONT_FAMILY is a DTCG fontFamily', () => {
    const cols = collections(['T', [['Name', 'Value', 'Type', 'Scopes'], ['sans', 'Inter', 'string', 'FONT_FAMILY'], ['style', 'Italic', 'string', 'FONT_STYLE']]]);
    const t = (files(cols, { format: 'dtcg' })['T/Value.tokens.json'] as Record<string, Record<string, Record<string, unknown>>>).T!;
    expect([t.sans!.$type, t.style!.$type]).toEqual(['fontFamily', 'string']);
  });

  test('tab names DTCG cannot hold are escaped with a warning, file names made safe, and pointers escaped', () => {
    const cols = collections(['a.b/c', [['Name', 'One', 'Two'], ['x', 1, 2]]]);
    const out = exportTokens(cols, { format: 'dtcg' });
    expect(out.files.map((f) => f.path)).toEqual(['a.b_c/One.tokens.json', 'a.b_c/Two.tokens.json', 'tokens.resolver.json']);
    expect(Object.keys(JSON.parse(out.files[0]!.text) as object)).toEqual(['a_b/c']);
    expect(JSON.parse(out.files[2]!.text)).toMatchObject({ resolutionOrder: [{ $ref: '#/modifiers/a.b~1c' }], modifiers: { 'a.b/c': { contexts: { One: [{ $ref: 'a.b_c/One.tokens.json' }] } } } });
    expect(out.problems.map((p) => [p.tab, p.cell, p.severity, p.code])).toEqual([['a.b/c', 'A1', 'warning', 'TOKEN_NAME_ESCAPED']]);
  });

  test('two tabs that escape to the same group clash: the second is left out with an error', () => {
    const cols = collections(['a.b', [['Name', 'Value'], ['x', 1]]], ['a_b', [['Name', 'Value'], ['y', 2]]]);
    const out = exportTokens(cols, { format: 'dtcg' });
    expect(out.files.map((f) => f.path)).toEqual(['a.b/Value.tokens.json', 'tokens.resolver.json']);
    expect(out.problems.map((p) => [p.tab, p.code])).toEqual([['a.b', 'TOKEN_NAME_ESCAPED'], ['a_b', 'TOKEN_NAME_CLASH']]);
  });

  test('a mode or file name with spaces is percent-encoded in the resolver\'s $ref', () => {
    const cols = collections(['My Tab', [['Name', 'High contrast', 'Low'], ['x', 1, 2]]]);
    const resolver = files(cols, { format: 'dtcg' })['tokens.resolver.json'] as { modifiers: Record<string, { contexts: Record<string, { $ref: string }[]> }> };
    expect(resolver.modifiers['My Tab']!.contexts['High contrast']).toEqual([{ $ref: 'My%20Tab/High%20contrast.tokens.json' }]);
  });
});

describe('exportTokens: DTCG, single layout', () => {
  test('writes one file per collection with the default mode as $value, or the mode asked for, and every mode in $extensions', () => {
    const single = files(sheet(), { format: 'dtcg', layout: 'single' });
    expect(Object.keys(single)).toEqual(['Primitives.tokens.json', 'Semantic.tokens.json']);
    expect((single['Semantic.tokens.json'] as Record<string, Record<string, { $extensions: Record<string, { modes: unknown }> }>>).Semantic!.accent!.$extensions[EXT]!.modes).toEqual({
      Light: '{Primitives.color.blue}',
      Dark: { colorSpace: 'srgb', components: [0, 0, 0], alpha: 0.5, hex: '#000000' },
    });
    expect((single['Semantic.tokens.json'] as Record<string, Record<string, { $value: unknown }>>).Semantic!.accent!.$value).toBe('{Primitives.color.blue}');
    const dark = files(sheet(), { format: 'dtcg', mode: 'Dark' });
    expect(Object.keys(dark)).toEqual(['Primitives.tokens.json', 'Semantic.tokens.json']);
    expect((dark['Semantic.tokens.json'] as Record<string, Record<string, { $value: unknown }>>).Semantic!.flag!.$value).toBe(false);
  });
});

describe('exportTokens: flat JSON and CSS', () => {
  test('json gives collection → mode → name → plain value, aliases followed', () => {
    expect(files(sheet(), { format: 'json' })['tokens.json']).toEqual({
      Primitives: { Value: { 'color/blue': '#0055ff', 'space/4': 16, opacity: 0.5, font: 'Inter' } },
      Semantic: { Light: { accent: '#0055ff', flag: true }, Dark: { accent: '#00000080', flag: false } },
    });
  });

  test('json with a mode gives that mode where a collection has it and the default elsewhere', () => {
    expect(Object.keys((files(sheet(), { format: 'json', mode: 'Dark' })['tokens.json'] as Record<string, object>).Semantic!)).toEqual(['Dark']);
  });

  test('css has one block per mode, the default also at :root, aliases as var(), px kept, strings quoted', () => {
    expect(files(sheet(), { format: 'css' })['tokens.css']).toBe(
      [
        '/* Generated by sheets-figma-sync from the sheet; do not edit. */',
        '',
        '/* Primitives: Value (default mode) */',
        ':root, [data-primitives="value"] {',
        '  --primitives-color-blue: #0055ff;',
        '  --primitives-space-4: 16px;',
        '  --primitives-opacity: 0.5;',
        '  --primitives-font: "Inter";',
        '}',
        '',
        '/* Semantic: Light (default mode) */',
        ':root, [data-semantic="light"] {',
        '  --semantic-accent: var(--primitives-color-blue);',
        '  --semantic-flag: true;',
        '}',
        '',
        '/* Semantic: Dark */',
        '[data-semantic="dark"] {',
        '  --semantic-accent: #00000080;',
        '  --semantic-flag: false;',
        '}',
        '',
      ].join('\n'),
    );
  });

  test('two variables with the same CSS name: the second is left out with an error at its Name cell', () => {
    const cols = collections(['T', [['Name', 'Value'], ['a b', 1], ['a-b', 2]]]);
    const out = exportTokens(cols, { format: 'css' });
    expect(out.files[0]!.text).not.toContain(': 2;');
    expect(out.problems.map((p) => [p.cell, p.code])).toEqual([['A3', 'TOKEN_NAME_CLASH']]);
  });
});

test('token files keep short arrays on one line', () => {
  const text = exportTokens(sheet(), { format: 'dtcg' }).files[0]!.text;
  expect(text).toContain(`"components": [0, ${85 / 255}, 1],`);
  expect(JSON.parse(text)).toBeTruthy();
});

describe('export options are checked once, naming the option', () => {
  test.each([
    [{ format: 'yaml' }, 'format', 'format "yaml" is not one of dtcg, json, css'],
    [{ format: 'dtcg', layout: 'flat' }, 'layout', 'layout "flat" is not one of resolver, single'],
    [{ format: 'css', layout: 'single' }, 'layout', 'layout applies to the dtcg format only, not css'],
    [{ format: 'dtcg', layout: 'resolver', mode: 'Dark' }, 'mode', 'mode picks one mode, and the resolver layout holds every mode; use layout single with a mode'],
    [{ format: 'json', mode: ' ' }, 'mode', 'mode must be a mode name, e.g. "Dark"'],
  ])('%j is refused', (options, option, message) => {
    expect(() => checkTokenOptions(options as TokenExportOptions)).toThrow(new TokenOptionError(option as 'format', message));
    try {
      checkTokenOptions(options as TokenExportOptions);
    } catch (err) {
      expect((err as TokenOptionError).option).toBe(option);
    }
  });

  test('fileSafe replaces path separators and characters Windows refuses', () => {
    expect([fileSafe('a/b\\c:d'), fileSafe(' .x. '), fileSafe('..')]).toEqual(['a_b_c_d', 'x', '_']);
  });
});
