// Values between Figma and the model: unknown kinds are marked, colours are stored as float32.

import type { VariableScope } from '@figma/plugin-typings/plugin-api-standalone';
import { ALL_SCOPE_NAMES } from '../../../shared/sheet/figma-rules';
import { describeValue, fromFigmaValue, isKnownType, storedValue, toFigmaValue, toVariableScopes } from '../../../figma-plugin/main/value-convert';

describe('reading Figma values', () => {
  test('plain values of the four known types are read as they are', () => {
    expect(fromFigmaValue('FLOAT', 4)).toBe(4);
    expect(fromFigmaValue('STRING', 'Inter')).toBe('Inter');
    expect(fromFigmaValue('BOOLEAN', false)).toBe(false);
    expect(fromFigmaValue('COLOR', { r: 1, g: 0.5, b: 0, a: 0.25 })).toEqual({ r: 1, g: 0.5, b: 0, a: 0.25 });
  });

  test('a colour without alpha is opaque', () => {
    expect(fromFigmaValue('COLOR', { r: 1, g: 0.5, b: 0 })).toEqual({ r: 1, g: 0.5, b: 0, a: 1 });
  });

  test('an alias is read as an alias, whatever the type', () => {
    expect(fromFigmaValue('FLOAT', { type: 'VARIABLE_ALIAS', id: 'VariableID:1:2' })).toEqual({ type: 'VARIABLE_ALIAS', id: 'VariableID:1:2' });
  });

  test('types the sync does not know (EASING, TIMING) are unknown values', () => {
    expect(isKnownType('EASING')).toBe(false);
    expect(fromFigmaValue('EASING', { type: 'EASE_IN' } as never)).toEqual({ unknown: true });
    expect(fromFigmaValue('TIMING', 300)).toEqual({ unknown: true });
  });

  test('a composed colour (colour with an aliased opacity) is an unknown value', () => {
    expect(fromFigmaValue('COLOR', { color: { r: 1, g: 0, b: 0 }, opacity: { type: 'VARIABLE_ALIAS', id: 'VariableID:1:9' } })).toEqual({ unknown: true });
  });

  test('a value that does not fit its type is an unknown value', () => {
    expect(fromFigmaValue('FLOAT', 'four')).toEqual({ unknown: true });
  });
});

describe('writing values', () => {
  test('the mirror records colour channels as Figma stores them (float32)', () => {
    expect(storedValue({ r: 0.1, g: 0.2, b: 0.3, a: 1 })).toEqual({ r: Math.fround(0.1), g: Math.fround(0.2), b: Math.fround(0.3), a: 1 });
    expect(storedValue(0.1)).toBe(0.1);
  });

  test('a colour is written with its alpha', () => {
    expect(toFigmaValue({ r: 0, g: 0, b: 1, a: 0.5 })).toEqual({ r: 0, g: 0, b: 1, a: 0.5 });
  });

  test('only scope names Figma knows are passed on', () => {
    expect(toVariableScopes(['GAP', 'NOT_A_SCOPE', 'ALL_FILLS'])).toEqual(['GAP', 'ALL_FILLS']);
  });
});

describe('describing values for review', () => {
  test('colours are hex, with alpha only when not opaque', () => {
    expect(describeValue({ r: 0, g: 1 / 3, b: 1, a: 1 })).toBe('#0055ff');
    expect(describeValue({ r: 0, g: 0, b: 0, a: 0.5 })).toBe('#00000080');
  });

  test('aliases name their target, strings are quoted, nothing is "(none)"', () => {
    expect(describeValue({ type: 'VARIABLE_ALIAS', id: 'x' }, () => 'color/brand')).toBe('{color/brand}');
    expect(describeValue('Inter')).toBe('"Inter"');
    expect(describeValue(undefined)).toBe('(none)');
  });
});

describe('scopes', () => {
  test("the sync's scope names are exactly Figma's VariableScope names", () => {
    // Typed as a Record over VariableScope: TypeScript refuses it if Figma adds or drops a scope.
    const figmaScopes: Record<VariableScope, true> = {
      ALL_SCOPES: true, TEXT_CONTENT: true, CORNER_RADIUS: true, WIDTH_HEIGHT: true, GAP: true, ALL_FILLS: true,
      FRAME_FILL: true, SHAPE_FILL: true, TEXT_FILL: true, STROKE_COLOR: true, STROKE_FLOAT: true, EFFECT_FLOAT: true,
      EFFECT_COLOR: true, OPACITY: true, COLOR_OPACITY: true, FONT_FAMILY: true, FONT_STYLE: true, FONT_WEIGHT: true,
      FONT_SIZE: true, LINE_HEIGHT: true, LETTER_SPACING: true, PARAGRAPH_SPACING: true, PARAGRAPH_INDENT: true,
    };
    expect([...ALL_SCOPE_NAMES].sort()).toEqual(Object.keys(figmaScopes).sort());
  });
});
