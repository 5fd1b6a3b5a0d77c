// The export of a Figma file's variables to sheet tabs: the layout of a tab, the shortest exact text of
// colours, numbers and aliases, and every thing the sheet cannot carry, reported rather than changed.

import type { FileCollection, FileState, FileValue, FileVariable } from '../../../shared/sheet/model';
import { exportSheet } from '../../../shared/sheet/sheet-export';

let n = 0;
function collection(name: string, modes: string[], extra: Partial<FileCollection> = {}): FileCollection {
  const id = `C:${name}`;
  return { id, name, remote: false, modes: modes.map((m, i) => ({ modeId: `${id}/${i}`, name: m })), defaultModeId: `${id}/0`, ...extra };
}
function variable(c: FileCollection, name: string, type: string, values: FileValue[], extra: Partial<FileVariable> = {}): FileVariable {
  const valuesByMode: Record<string, FileValue> = {};
  c.modes.forEach((m, i) => (valuesByMode[m.modeId] = values[i] ?? values[0]!));
  return { id: `V:${++n}`, name, collectionId: c.id, resolvedType: type, valuesByMode, description: '', hidden: false, scopes: ['ALL_SCOPES'], codeSyntax: {}, remote: false, ...extra };
}
const alias = (v: FileVariable): FileValue => ({ type: 'VARIABLE_ALIAS', id: v.id });
const codes = (file: FileState) => exportSheet(file).problems.map((p) => [p.code, p.tab, p.cell, p.severity]);

describe('a tab', () => {
  test('has Name, one column per mode (the default mode first) and only the optional columns some variable uses', () => {
    const c = collection('Theme', ['Dark', 'Light'], { defaultModeId: 'C:Theme/1' });
    const bg = variable(c, 'color/bg', 'COLOR', [{ r: 0, g: 0, b: 0, a: 1 }, { r: 1, g: 1, b: 1, a: 1 }], { description: 'Page', hidden: true, codeSyntax: { WEB: 'var(--bg)' } });
    const gap = variable(c, 'space/gap', 'FLOAT', [Math.fround(16.3), 8], { scopes: ['GAP'] });
    const on = variable(c, 'flag/on', 'BOOLEAN', [true, false]);
    const { tabs, problems } = exportSheet({ collections: [c], variables: [bg, gap, on] });
    expect(problems).toEqual([]);
    expect(tabs).toEqual([
      {
        collectionId: 'C:Theme',
        name: 'Theme',
        modes: ['Light', 'Dark'],
        variables: 3,
        values: [
          ['Name', 'Light', 'Dark', 'Description', 'Scopes', 'Hidden', 'Web'],
          ['color/bg', '#ffffff', '#000000', 'Page', '', true, 'var(--bg)'],
          ['space/gap', 8, 16.3, '', 'GAP', '', ''],
          ['flag/on', false, true, '', '', '', ''],
        ],
      },
    ]);
  });

  test('types a row in the Type column only when its values alone would read as another type', () => {
    const c = collection('Fonts', ['Value']);
    const file = { collections: [c], variables: [variable(c, 'font/family', 'STRING', ['Inter']), variable(c, 'font/weight', 'STRING', ['400']), variable(c, 'font/size', 'STRING', ['0.25rem'])] };
    expect(exportSheet(file).tabs[0]!.values).toEqual([
      ['Name', 'Type', 'Value'],
      ['font/family', '', 'Inter'],
      ['font/weight', 'string', '400'],
      ['font/size', 'string', '0.25rem'],
    ]);
  });
});

describe('values', () => {
  const one = (type: string, value: FileValue) => {
    const c = collection('T', ['Value']);
    return exportSheet({ collections: [c], variables: [variable(c, 'v', type, [value])] }).tabs[0]!.values[1]!.slice(-1)[0];
  };

  test('colours are #rrggbb, #rrggbbaa when 8 bits hold them within float32 drift, else color(srgb …) with just enough digits', () => {
    expect(one('COLOR', { r: Math.fround(0.4), g: 0, b: 1, a: 1 })).toBe('#6600ff');
    expect(one('COLOR', { r: 0, g: 0, b: 0, a: Math.fround(0x80 / 255) })).toBe('#00000080');
    expect(one('COLOR', { r: Math.fround(0.123456), g: 0, b: 0, a: 1 })).toBe('color(srgb 0.123456 0 0)');
    expect(one('COLOR', { r: 1, g: 1, b: 1, a: Math.fround(0.5) })).toBe('color(srgb 1 1 1 / 0.5)');
  });

  test('numbers are the shortest that read back as the float32 Figma holds', () => {
    expect(one('FLOAT', Math.fround(0.1))).toBe(0.1);
    expect(one('FLOAT', Math.fround(1234.567))).toBe(1234.567);
    expect(one('FLOAT', -0)).toBe(0);
  });

  test('aliases are {name} in their own tab or when one other tab has the name, else {Tab::name}', () => {
    const prims = collection('Primitives', ['Value']);
    const sem = collection('Semantic', ['Value']);
    const white = variable(prims, 'white', 'COLOR', [{ r: 1, g: 1, b: 1, a: 1 }]);
    const gray = variable(prims, 'gray', 'COLOR', [alias(white)]);
    const same = variable(sem, 'white', 'COLOR', [alias(white)]);
    const other = variable(sem, 'surface', 'COLOR', [alias(gray)]);
    const { tabs } = exportSheet({ collections: [prims, sem], variables: [white, gray, same, other] });
    expect(tabs.map((t) => t.values.slice(1))).toEqual([
      [
        ['white', '#ffffff'],
        ['gray', '{white}'],
      ],
      [
        ['white', '{Primitives::white}'],
        ['surface', '{gray}'],
      ],
    ]);
  });
});

describe('what the sheet cannot carry is reported, and left out rather than changed', () => {
  test('names Figma (or another tool) allows but the sheet would change or refuse, and the rows that alias them', () => {
    const c = collection('Colors', ['Value']);
    const dotted = variable(c, 'color.brand', 'COLOR', [{ r: 1, g: 0, b: 0, a: 1 }]);
    const spaced = variable(c, 'color / text', 'COLOR', [{ r: 1, g: 0, b: 0, a: 1 }]);
    const pointing = variable(c, 'color/link', 'COLOR', [alias(dotted)]);
    const fine = variable(c, 'color/ok', 'COLOR', [{ r: 0, g: 0, b: 0, a: 1 }]);
    const result = exportSheet({ collections: [c], variables: [dotted, spaced, pointing, fine] });
    expect(result.problems.map((p) => [p.code, p.severity])).toEqual([
      ['EXPORT_NAME_UNSUPPORTED', 'error'],
      ['EXPORT_NAME_UNSUPPORTED', 'error'],
      ['EXPORT_ALIAS_OUTSIDE', 'error'],
    ]);
    expect(result.problems[0]!.message).toContain('"color.brand" contains "."');
    expect(result.tabs[0]!.values).toEqual([['Name', 'Value'], ['color/ok', '#000000']]);
  });

  test('aliases to a library variable or to a collection not chosen name what to do', () => {
    const prims = collection('Primitives', ['Value']);
    const sem = collection('Semantic', ['Value']);
    const base = variable(prims, 'base', 'FLOAT', [4]);
    const fromLibrary = variable(sem, 'lib', 'FLOAT', [{ type: 'VARIABLE_ALIAS', id: 'VariableID:library/1' }]);
    const fromPrims = variable(sem, 'gap', 'FLOAT', [alias(base)]);
    const result = exportSheet({ collections: [prims, sem], variables: [base, fromLibrary, fromPrims] }, { collectionIds: ['C:Semantic'] });
    expect(result.problems.map((p) => p.code)).toEqual(['EXPORT_ALIAS_OUTSIDE', 'EXPORT_ALIAS_OUTSIDE']);
    expect(result.problems[0]!.message).toContain('library variable');
    expect(result.problems[1]!.message).toContain('export that collection too');
    expect(result.tabs.map((t) => t.name)).toEqual(['Semantic']);
  });

  test('empty text, text that reads as an alias, and types without sheet values', () => {
    const c = collection('Misc', ['Value']);
    const file = {
      collections: [c],
      variables: [variable(c, 'empty', 'STRING', ['']), variable(c, 'braces', 'STRING', ['{not an alias}']), variable(c, 'ease', 'EASING', [{ unknown: true }]), variable(c, 'ok', 'STRING', ['ok'])],
    };
    expect(codes(file)).toEqual([
      ['EXPORT_VALUE_UNSUPPORTED', 'Misc', '', 'error'],
      ['EXPORT_VALUE_UNSUPPORTED', 'Misc', '', 'error'],
      ['EXPORT_TYPE_UNSUPPORTED', 'Misc', '', 'error'],
    ]);
  });

  test('a collection whose name or modes cannot be a tab is left out; library collections are never exported', () => {
    const reserved = collection('Reserved', ['Value', 'Description']);
    const twinA = collection('Colors', ['Value']);
    const twinB = { ...collection('colors', ['Value']), id: 'C:colors-2' };
    const library = collection('Library', ['Value'], { remote: true });
    const { tabs, problems } = exportSheet({ collections: [reserved, twinA, twinB, library], variables: [] });
    expect(tabs.map((t) => t.name)).toEqual(['Colors']);
    expect(problems.map((p) => [p.code, p.tab])).toEqual([
      ['EXPORT_COLLECTION_UNSUPPORTED', 'Reserved'],
      ['EXPORT_COLLECTION_UNSUPPORTED', 'colors'],
    ]);
  });

  test('scopes the Scopes column cannot say leave the tab without one (scopes stay as Figma has them); padded text is trimmed with a warning', () => {
    const c = collection('Sizes', ['Value']);
    const none = variable(c, 'hidden/everywhere', 'FLOAT', [1], { scopes: [] });
    const narrowed = variable(c, 'gap', 'FLOAT', [2], { scopes: ['GAP'], description: ' Gap ' });
    const result = exportSheet({ collections: [c], variables: [none, narrowed] });
    expect(result.problems.map((p) => [p.code, p.cell, p.severity])).toEqual([
      ['EXPORT_SCOPES_KEPT', '', 'warning'],
      ['EXPORT_TEXT_TRIMMED', 'C3', 'warning'],
    ]);
    expect(result.tabs[0]!.values[0]).toEqual(['Name', 'Value', 'Description']);
  });
});
