// Values between the model (MappedValue, FileValue) and Figma's VariableValue. Kinds this sync does
// not know (EASING and TIMING variables, composed colours) become `{ unknown: true }` and are left alone.

import type { VariableScope, VariableValue } from '@figma/plugin-typings/plugin-api-standalone';
import type { FileValue, Rgba, VariableType } from '../../shared/sheet/model';
import { ALL_SCOPE_NAMES } from '../../shared/sheet/figma-rules';

const KNOWN_TYPES: ReadonlySet<string> = new Set<VariableType>(['COLOR', 'FLOAT', 'STRING', 'BOOLEAN']);

/** Whether Figma's resolvedType is one the sync writes (Figma added EASING and TIMING, which it does not). */
export function isKnownType(resolvedType: string): resolvedType is VariableType {
  return KNOWN_TYPES.has(resolvedType);
}

const UNKNOWN: FileValue = { unknown: true };

/** A plain value as setValueForMode takes it. Colours keep their alpha. */
export function toFigmaValue(value: Rgba | number | string | boolean): VariableValue {
  if (typeof value === 'object') return { r: value.r, g: value.g, b: value.b, a: value.a };
  return value;
}

/**
 * What Figma holds after setValueForMode(value): it stores colour channels as float32, so the mirror
 * records the rounded channels and agrees with a later fresh read.
 */
export function storedValue(value: Rgba | number | string | boolean): FileValue {
  if (typeof value === 'object') {
    return { r: Math.fround(value.r), g: Math.fround(value.g), b: Math.fround(value.b), a: Math.fround(value.a) };
  }
  return value;
}

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/** A value read from Variable.valuesByMode, described as FileValue. */
export function fromFigmaValue(resolvedType: string, value: VariableValue): FileValue {
  if (!isKnownType(resolvedType)) return UNKNOWN;
  if (typeof value === 'object' && value !== null) {
    const o = value as unknown as Record<string, unknown>;
    if (o.type === 'VARIABLE_ALIAS' && typeof o.id === 'string') return { type: 'VARIABLE_ALIAS', id: o.id };
    // A plain colour has exactly r, g, b (and a); composed colours ({color, opacity}) and anything else are unknown.
    if (resolvedType === 'COLOR' && isNumber(o.r) && isNumber(o.g) && isNumber(o.b) && !('color' in o)) {
      return { r: o.r, g: o.g, b: o.b, a: isNumber(o.a) ? o.a : 1 };
    }
    return UNKNOWN;
  }
  if (resolvedType === 'FLOAT' && isNumber(value)) return value;
  if (resolvedType === 'STRING' && typeof value === 'string') return value;
  if (resolvedType === 'BOOLEAN' && typeof value === 'boolean') return value;
  return UNKNOWN;
}


/**
 * Scope names as Figma's type. The mapper lets only shared/sheet/figma-rules.ts's names through; a test
 * checks that list against Figma's VariableScope type, so the cast here stays honest.
 */
export function toVariableScopes(scopes: readonly string[]): VariableScope[] {
  return scopes.filter((s): s is VariableScope => ALL_SCOPE_NAMES.has(s));
}

/** "#0055ff" or "#0055ff80" for review lines; other values as text. */
export function describeValue(value: FileValue | Rgba | number | string | boolean | undefined, aliasName?: (id: string) => string): string {
  if (value === undefined) return '(none)';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value !== 'object') return String(value);
  if ('unknown' in value) return '(not a plain value)';
  if ('type' in value) return `{${aliasName ? aliasName(value.id) : value.id}}`;
  const hex = (c: number) => Math.round(Math.min(1, Math.max(0, c)) * 255).toString(16).padStart(2, '0');
  return `#${hex(value.r)}${hex(value.g)}${hex(value.b)}${value.a < 1 ? hex(value.a) : ''}`;
}
