import { CellReader, cellText, isBlank, parseHidden, parseNumberText, parseTypeName } from '../../../shared/sheet/cell-value';

describe('parseNumberText', () => {
  test('reads integers, decimals, signs, exponents and px in any case', () => {
    expect(['16', '-0.5', '.5', '+3', '1e3', '16px', '16 PX', ' 2.5px '].map(parseNumberText)).toEqual([16, -0.5, 0.5, 3, 1000, 16, 16, 2.5]);
  });

  test('refuses other units, words, empty text and numbers too large to hold', () => {
    expect(['16em', '50%', 'px', '', 'Infinity', 'NaN', '1,000', '1e999'].map(parseNumberText)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('parseTypeName', () => {
  test('accepts the sheet words and Figma’s spellings in any case', () => {
    expect(['color', 'Colour', 'NUMBER', 'float', 'String', 'text', 'boolean', 'BOOL'].map(parseTypeName)).toEqual(['COLOR', 'COLOR', 'FLOAT', 'FLOAT', 'STRING', 'STRING', 'BOOLEAN', 'BOOLEAN']);
  });

  test('refuses anything else', () => {
    expect(['numbr', 'int', ''].map(parseTypeName)).toEqual([undefined, undefined, undefined]);
  });
});

describe('cells', () => {
  test('cellText shows booleans as Sheets does', () => {
    expect([cellText(true), cellText(false), cellText(1.5), cellText(' a ')]).toEqual(['TRUE', 'FALSE', '1.5', ' a ']);
  });

  test('isBlank is true for empty text and spaces only', () => {
    expect([isBlank(''), isBlank('  '), isBlank(0), isBlank(false), isBlank('x')]).toEqual([true, true, false, false, false]);
  });

  test('parseHidden reads TRUE/FALSE as booleans or words, empty as FALSE, anything else as unknown', () => {
    expect([parseHidden(true), parseHidden('false'), parseHidden(' TRUE '), parseHidden(''), parseHidden('yes'), parseHidden(1)]).toEqual([true, false, true, false, undefined, undefined]);
  });
});

describe('CellReader', () => {
  test('infers an alias before anything else', () => {
    expect(new CellReader().infer(' {a/b} ')).toEqual({ kind: 'alias', ref: { name: 'a/b', whole: 'a/b', text: '{a/b}' } });
  });

  test('reading the same text twice gives the same answer', () => {
    const reader = new CellReader();
    expect(reader.infer('#fff')).toEqual(reader.infer('#fff'));
    expect(reader.readAs('16px', 'FLOAT')).toEqual({ kind: 'literal', type: 'FLOAT', value: 16, clamped: false });
    expect(reader.readAs('16px', 'STRING')).toEqual({ kind: 'literal', type: 'STRING', value: '16px', clamped: false });
  });

  test('a string row keeps the text exactly, spaces included', () => {
    expect(new CellReader().readAs(' Inter ', 'STRING')).toEqual({ kind: 'literal', type: 'STRING', value: ' Inter ', clamped: false });
  });
});
