import type { AliasValue } from '../../../shared/sheet/model';
import {
  coloursEqual,
  FLOAT_TOLERANCE,
  isAliasValue,
  isFileAlias,
  isRgba,
  isUnknownValue,
  numbersEqual,
  plainValueEquals,
  valueEquals,
} from '../../../shared/sheet/value-equality';

const f32 = Math.fround;

describe('numbersEqual', () => {
  test('a colour channel read back from Figma (0.40000000200345043) equals the 0.4 the sheet says', () => {
    expect(numbersEqual(0.4, 0.40000000200345043)).toBe(true);
  });

  test('any number equals its float32 rounding, small or large', () => {
    for (const n of [0.1, 0.4, 1 / 3, 2 / 255, 13.37, 1234.5678, 16777217, 123456789.123, -0.7, 1e-7]) {
      expect(numbersEqual(n, f32(n))).toBe(true);
    }
  });

  test('one 8-bit colour step (1/255) is a difference', () => {
    expect(numbersEqual(102 / 255, 103 / 255)).toBe(false);
  });

  test('a thousandth of a pixel is a difference', () => {
    expect(numbersEqual(16, 16.001)).toBe(false);
    expect(numbersEqual(0.5, 0.501)).toBe(false);
  });

  test('the tolerance is absolute below 1 and relative above', () => {
    expect(numbersEqual(0, FLOAT_TOLERANCE / 2)).toBe(true);
    expect(numbersEqual(0, FLOAT_TOLERANCE * 2)).toBe(false);
    expect(numbersEqual(1e6, 1e6 + 0.5)).toBe(true);
    expect(numbersEqual(1e6, 1e6 + 2)).toBe(false);
  });

  test('NaN and infinities equal only themselves (infinity) or nothing (NaN)', () => {
    expect(numbersEqual(Number.NaN, Number.NaN)).toBe(false);
    expect(numbersEqual(Infinity, Infinity)).toBe(true);
    expect(numbersEqual(Infinity, 1e308)).toBe(false);
  });
});

describe('coloursEqual', () => {
  test('a colour with float32 channels equals the sheet colour', () => {
    const sheet = { r: 0.4, g: 0.2, b: 1, a: 0.5 };
    expect(coloursEqual(sheet, { r: f32(0.4), g: f32(0.2), b: 1, a: f32(0.5) })).toBe(true);
  });

  test('alpha counts', () => {
    expect(coloursEqual({ r: 1, g: 1, b: 1, a: 1 }, { r: 1, g: 1, b: 1, a: 0.5 })).toBe(false);
  });

  test('each channel counts', () => {
    const base = { r: 0.1, g: 0.2, b: 0.3, a: 1 };
    expect(coloursEqual(base, { ...base, r: 0.11 })).toBe(false);
    expect(coloursEqual(base, { ...base, g: 0.21 })).toBe(false);
    expect(coloursEqual(base, { ...base, b: 0.31 })).toBe(false);
  });
});

describe('plainValueEquals', () => {
  test('strings and booleans compare exactly', () => {
    expect(plainValueEquals('Inter', 'Inter')).toBe(true);
    expect(plainValueEquals('Inter', 'inter')).toBe(false);
    expect(plainValueEquals(true, true)).toBe(true);
    expect(plainValueEquals(true, false)).toBe(false);
  });

  test('a value of another kind is never equal', () => {
    expect(plainValueEquals(1, '1')).toBe(false);
    expect(plainValueEquals('1', 1)).toBe(false);
    expect(plainValueEquals(true, 1)).toBe(false);
    expect(plainValueEquals({ r: 0, g: 0, b: 0, a: 1 }, 0)).toBe(false);
    expect(plainValueEquals(0, { r: 0, g: 0, b: 0, a: 1 })).toBe(false);
  });

  test('a missing, alias or unknown file value is never equal to a plain value', () => {
    expect(plainValueEquals(1, undefined)).toBe(false);
    expect(plainValueEquals(1, { type: 'VARIABLE_ALIAS', id: 'VariableID:1:2' })).toBe(false);
    expect(plainValueEquals({ r: 1, g: 1, b: 1, a: 1 }, { unknown: true })).toBe(false);
  });
});

describe('valueEquals', () => {
  const target = (a: AliasValue) => (a.alias.collection === 'Primitives' && a.alias.name === 'blue/500' ? 'VariableID:1:7' : undefined);

  test('an alias equals a Figma alias to the variable it resolves to', () => {
    expect(valueEquals({ alias: { collection: 'Primitives', name: 'blue/500' } }, { type: 'VARIABLE_ALIAS', id: 'VariableID:1:7' }, target)).toBe(true);
  });

  test('an alias to another variable, or a plain value, is a difference', () => {
    const value = { alias: { collection: 'Primitives', name: 'blue/500' } };
    expect(valueEquals(value, { type: 'VARIABLE_ALIAS', id: 'VariableID:1:8' }, target)).toBe(false);
    expect(valueEquals(value, { r: 0, g: 0, b: 1, a: 1 }, target)).toBe(false);
  });

  test('an alias that cannot be resolved is never equal', () => {
    expect(valueEquals({ alias: { collection: 'Primitives', name: 'gone' } }, { type: 'VARIABLE_ALIAS', id: 'VariableID:1:7' }, target)).toBe(false);
  });

  test('a plain value compares within float drift', () => {
    expect(valueEquals({ r: 0.4, g: 0.4, b: 0.4, a: 1 }, { r: 0.40000000200345043, g: 0.4, b: 0.4, a: 1 }, target)).toBe(true);
  });
});

describe('type guards', () => {
  test('tell colours, aliases and unknown values apart', () => {
    expect(isRgba({ r: 0, g: 0, b: 0, a: 1 })).toBe(true);
    expect(isRgba({ r: 0, g: 0, b: 0 })).toBe(false);
    expect(isRgba(null)).toBe(false);
    expect(isAliasValue({ alias: { collection: 'A', name: 'b' } })).toBe(true);
    expect(isAliasValue('{a}')).toBe(false);
    expect(isFileAlias({ type: 'VARIABLE_ALIAS', id: 'x' })).toBe(true);
    expect(isFileAlias({ unknown: true })).toBe(false);
    expect(isFileAlias(undefined)).toBe(false);
    expect(isUnknownValue({ unknown: true })).toBe(true);
    expect(isUnknownValue({ r: 0, g: 0, b: 0, a: 1 })).toBe(false);
    expect(isUnknownValue(undefined)).toBe(false);
  });
});
