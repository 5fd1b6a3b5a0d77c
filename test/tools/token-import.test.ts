import { posix } from 'node:path';
import { mapGrid } from '../../shared/sheet/mapper';
import { csvToRows } from '../../tools/csv-tabs';
import { importTokens } from '../../tools/token-import';
import { TokenFileError } from '../../tools/token-sources';

/** Imports JSON documents given as {path: content} from memory. */
function importFrom(files: Record<string, unknown>, inputs = Object.keys(files)) {
  const read = (file: string) => {
    const doc = files[posix.normalize(file)];
    if (doc === undefined) throw new Error(`no file ${file}`);
    return typeof doc === 'string' ? doc : JSON.stringify(doc);
  };
  const result = importTokens(inputs, read);
  const csv = Object.fromEntries(result.tabs.map((t) => [t.name, t.csv.trimEnd().split('\n')]));
  const mapped = mapGrid({ tabs: result.tabs.map((t, i) => ({ tabId: i, name: t.name, rows: csvToRows(t.csv, t.name) })) });
  return { ...result, csv, mapped };
}

describe('import: a Tokens Studio export', () => {
  const studio = {
    global: {
      color: { blue: { value: '#0055ff', type: 'color' }, white: { value: '#ffffff', type: 'color' }, glass: { value: 'rgba({color.blue}, 0.5)', type: 'color' } },
      space: { sm: { value: '0.5rem', type: 'spacing' }, md: { value: '16', type: 'spacing' }, double: { value: '{space.md} * 2', type: 'spacing' } },
      font: { body: { value: 'Inter', type: 'fontFamilies' }, bold: { value: 'Bold', type: 'fontWeights' }, heavy: { value: '800', type: 'fontWeights' } },
      opacity: { half: { value: '50%', type: 'opacity' } },
      heading: { value: { fontFamily: '{font.body}', fontSize: '32' }, type: 'typography' },
      card: { value: { x: 0, y: 2, blur: 4, color: '#000' }, type: 'boxShadow' },
      flag: { value: 'true', type: 'boolean' },
    },
    light: { bg: { value: '{color.white}', type: 'color', description: 'Page' } },
    dark: { bg: { value: '{color.blue}', type: 'color', description: 'Page' } },
    $themes: [
      { id: '1', name: 'Light', group: 'Theme', selectedTokenSets: { global: 'source', light: 'enabled' } },
      { id: '2', name: 'Dark', group: 'Theme', selectedTokenSets: { global: 'source', dark: 'enabled' } },
    ],
    $metadata: { tokenSetOrder: ['global', 'light', 'dark'] },
  };

  test('sets become tabs, a $themes group one tab whose themes are its modes, references {name}', () => {
    const { csv, mapped } = importFrom({ '/studio.json': studio });
    expect(csv.Theme).toEqual(['Name,Light,Dark,Type,Description', 'bg,{color/white},{color/blue},color,Page']);
    expect(csv.global).toEqual([
      'Name,Value,Type,Scopes',
      'color/blue,#0055ff,color,',
      'color/white,#ffffff,color,',
      'space/sm,8px,number,',
      'space/md,16,number,',
      'font/body,Inter,string,FONT_FAMILY',
      'font/bold,Bold,string,FONT_STYLE',
      'font/heavy,800,number,FONT_WEIGHT',
      'opacity/half,0.5,number,',
      'flag,TRUE,boolean,',
    ]);
    expect(mapped.problems).toEqual([]);
  });

  test('the report counts what was converted and what a Figma variable cannot hold', () => {
    const { report } = importFrom({ '/studio.json': studio });
    expect(report).toEqual({
      converted: [
        { what: 'font weight name → string (FONT_STYLE)', count: 1, examples: ['global::font/bold'] },
        { what: 'opacity percentage → fraction', count: 1, examples: ['global::opacity/half'] },
        { what: 'rem → px at 16 px per rem', count: 1, examples: ['global::space/sm'] },
      ],
      leftOut: [
        { what: 'expression with references (math or a colour function)', count: 2, examples: ['global::color/glass', 'global::space/double'] },
        { what: 'boxShadow', count: 1, examples: ['global::card'] },
        { what: 'typography', count: 1, examples: ['global::heading'] },
      ],
      unreadable: [],
    });
  });

  test('a multi-file export: $themes.json and one file per set', () => {
    const { csv } = importFrom({
      '/ts/$themes.json': studio.$themes,
      '/ts/global.json': studio.global,
      '/ts/light.json': studio.light,
      '/ts/dark.json': studio.dark,
    });
    expect(Object.keys(csv)).toEqual(['global', 'Theme']);
    expect(csv.Theme![1]).toBe('bg,{color/white},{color/blue},color,Page');
  });
});

describe('import: DTCG 2025.10 files from other tools', () => {
  const file = {
    color: {
      $type: 'color',
      brand: { $value: { colorSpace: 'oklch', components: [0.6, 0.2, 269], alpha: 1 }, $description: 'Brand' },
      p3: { $value: { colorSpace: 'display-p3', components: [1, 0.5, 0], alpha: 0.5 } },
      linear: { $value: { colorSpace: 'srgb-linear', components: [1, 0, 0] } },
      text: { $value: '{color.brand}' },
    },
    size: { $type: 'dimension', sm: { $value: { value: 0.25, unit: 'rem' } }, md: { $value: { value: 16, unit: 'px' } } },
    weight: { $type: 'fontWeight', bold: { $value: 'bold' } },
    family: { $type: 'fontFamily', stack: { $value: ['Inter', 'sans-serif'] }, one: { $value: ['Inter'] } },
    motion: { fast: { $type: 'duration', $value: { value: 150, unit: 'ms' } }, ease: { $type: 'cubicBezier', $value: [0.4, 0, 0.2, 1] }, later: { $value: '{motion.fast}' } },
  };

  test('one tab per file, colour spaces the sheet reads written as CSS, others converted to sRGB, rem to px', () => {
    const { csv, report, mapped } = importFrom({ '/tokens/base.tokens.json': file });
    expect(csv.base).toEqual([
      'Name,Value,Type,Description,Scopes',
      'color/brand,oklch(0.6 0.2 269),color,Brand,',
      'color/p3,color(display-p3 1 0.5 0 / 0.5),color,,',
      'color/linear,#ff0000,color,,',
      'color/text,{color/brand},color,,',
      'size/sm,4px,number,,',
      'size/md,16px,number,,',
      'weight/bold,700,number,,FONT_WEIGHT',
      'family/one,Inter,string,,FONT_FAMILY',
    ]);
    expect(report.leftOut).toEqual([
      { what: 'cubicBezier', count: 1, examples: ['base::motion/ease'] },
      { what: 'duration', count: 1, examples: ['base::motion/fast'] },
      { what: 'fontFamily list', count: 1, examples: ['base::family/stack'] },
      { what: 'reference to a token left out', count: 1, examples: ['base::motion/later'] },
    ]);
    expect(report.converted.map((c) => c.what)).toEqual(['colour space srgb-linear → sRGB hex', 'fontWeight keyword → its number', 'one-font fontFamily list → its font', 'rem → px at 16 px per rem']);
    expect(mapped.problems.filter((p) => p.severity === 'error')).toEqual([]);
  });

  test('a reference to a token in no file given is reported as unreadable', () => {
    const { report } = importFrom({ '/a.tokens.json': { x: { $type: 'color', $value: '{nowhere.color}' } } });
    expect(report.unreadable).toEqual([{ tab: 'a', token: 'x', message: '{nowhere.color} points at no token in the files given' }]);
  });

  test('a token without $type is left out, not guessed (Format 2025.10: tools must not infer a type)', () => {
    const { report } = importFrom({ '/a.tokens.json': { x: { $value: 4 } } });
    expect(report.leftOut).toEqual([{ what: 'token without $type', count: 1, examples: ['a::x'] }]);
  });

  test('the same name in two tabs: references say which tab', () => {
    const { csv } = importFrom({
      '/p.tokens.json': { c: { $type: 'color', $value: '#ffffff' } },
      '/q.tokens.json': { c: { $type: 'color', $value: '#000000' }, d: { $value: '{c}' } },
      '/r.tokens.json': { e: { $value: '{c}' } },
    });
    // "{c}" names the last file's c (the last definition wins, as in a DTCG resolution).
    expect(csv.q![2]).toBe('d,{c},color');
    expect(csv.r![1]).toBe('e,{q::c},color');
  });
});

describe('import: a resolver document', () => {
  test('sets are one-mode tabs, modifiers tabs with modes (default first), sources merged in order, inline sources read', () => {
    const { csv, mapped } = importFrom(
      {
        '/r/design.resolver.json': {
          version: '2025.10',
          sets: { base: { sources: [{ $ref: 'base.json' }, { color: { $type: 'color', extra: { $value: '#00ff00' } } }] } },
          modifiers: { theme: { contexts: { dark: [{ $ref: 'dark.json' }], light: [{ $ref: 'light.json' }] }, default: 'light' } },
          resolutionOrder: [{ $ref: '#/sets/base' }, { $ref: '#/modifiers/theme' }],
        },
        '/r/base.json': { color: { $type: 'color', white: { $value: '#ffffff' }, black: { $value: '#000000' } } },
        '/r/light.json': { bg: { $value: '{color.white}' } },
        '/r/dark.json': { bg: { $value: '{color.black}' } },
      },
      ['/r/design.resolver.json'],
    );
    expect(csv).toEqual({
      base: ['Name,Value,Type', 'color/white,#ffffff,color', 'color/black,#000000,color', 'color/extra,#00ff00,color'],
      theme: ['Name,light,dark,Type', 'bg,{color/white},{color/black},color'],
    });
    expect(mapped.problems).toEqual([]);
  });

  test('a $ref to nothing in the document is a TokenFileError naming it', () => {
    expect(() => importFrom({ '/r.resolver.json': { version: '2025.10', resolutionOrder: [{ $ref: '#/sets/none' }] } })).toThrow(new TokenFileError('/r.resolver.json: "#/sets/none" points at nothing in the resolver document'));
  });

  test('a file that is not JSON is a TokenFileError naming it', () => {
    expect(() => importFrom({ '/bad.json': '{ nope' })).toThrow(TokenFileError);
  });
});
