// One variable's values in DTCG 2025.10 form: colours as {colorSpace, components, alpha, hex},
// numbers written with px as dimensions {value, unit}, other numbers as numbers, aliases as
// "{group.token}" references; and the DTCG $type each Figma type becomes.

import { formatHex } from '../sheet/color';
import type { MappedValue, MappedVariable, Rgba } from '../sheet/model';

/** Color Module 2025.10: sRGB components in 0..1, alpha in 0..1, hex a 6-digit fallback without alpha. */
export interface DtcgColor {
  colorSpace: 'srgb';
  components: [number, number, number];
  alpha: number;
  hex: string;
}

export interface DtcgDimension {
  value: number;
  unit: 'px';
}

/**
 * The $type of a variable's literal values. `string` and `boolean` are not DTCG 2025.10 types (it has
 * none for plain text or booleans); they are the extension types Terrazzo validates and Style
 * Dictionary passes through, and the Figma type is also kept in $extensions. A string variable
 * scoped only to FONT_FAMILY is a DTCG `fontFamily`.
 */
export type DtcgType = 'color' | 'dimension' | 'number' | 'fontFamily' | 'string' | 'boolean';

export type DtcgLiteral = DtcgColor | DtcgDimension | number | string | boolean;

export function dtcgColor(color: Rgba): DtcgColor {
  return { colorSpace: 'srgb', components: [color.r, color.g, color.b], alpha: color.a, hex: formatHex({ ...color, a: 1 }) };
}

export function dtcgTypeOf(variable: MappedVariable): DtcgType {
  switch (variable.type) {
    case 'COLOR':
      return 'color';
    case 'FLOAT':
      return variable.unit === 'px' ? 'dimension' : 'number';
    case 'STRING':
      return variable.scopes?.length === 1 && variable.scopes[0] === 'FONT_FAMILY' ? 'fontFamily' : 'string';
    case 'BOOLEAN':
      return 'boolean';
  }
}

/** A literal value as the variable's DTCG type holds it. */
export function dtcgLiteral(value: Exclude<MappedValue, { alias: unknown }>, type: DtcgType): DtcgLiteral {
  if (typeof value === 'object') return dtcgColor(value);
  if (type === 'dimension' && typeof value === 'number') return { value, unit: 'px' };
  return value;
}

export function isAlias(value: MappedValue): value is { alias: { collection: string; name: string } } {
  return typeof value === 'object' && 'alias' in value;
}
