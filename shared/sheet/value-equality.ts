// Whether a value from the sheet is already what Figma holds, allowing for Figma's float32 storage.

import type { AliasValue, FileValue, MappedValue, Rgba } from './model';

/**
 * Figma stores colour channels (and numbers) as float32, so 0.4 reads back as 0.40000000200345043.
 * float32 keeps about 7 significant digits (relative error ≤ 2^-24 ≈ 6e-8); a tolerance of 1e-6,
 * relative for large numbers and absolute below 1, absorbs that drift with room to spare, while any
 * difference a designer could see or type in a sheet (1/255 of a channel, 0.001 of a pixel) is far bigger.
 */
export const FLOAT_TOLERANCE = 1e-6;

/** A plain (non-alias) value the sync writes with setValueForMode. */
export type PlainValue = Rgba | number | string | boolean;

/** Figma's alias value shape. */
export interface FileAlias {
  type: 'VARIABLE_ALIAS';
  id: string;
}

export function isRgba(value: unknown): value is Rgba {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.r === 'number' && typeof v.g === 'number' && typeof v.b === 'number' && typeof v.a === 'number';
}

export function isAliasValue(value: MappedValue): value is AliasValue {
  return typeof value === 'object' && value !== null && 'alias' in value;
}

export function isFileAlias(value: FileValue | undefined): value is FileAlias {
  return typeof value === 'object' && value !== null && 'type' in value && value.type === 'VARIABLE_ALIAS';
}

/** A value of a kind this sync does not know (e.g. a composed colour value): left alone. */
export function isUnknownValue(value: FileValue | undefined): value is { unknown: true } {
  return typeof value === 'object' && value !== null && 'unknown' in value && value.unknown === true;
}

/** Equal within float32 drift: |a − b| ≤ 1e-6 × max(1, |a|, |b|). */
export function numbersEqual(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= FLOAT_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Channel by channel, alpha included. */
export function coloursEqual(a: Rgba, b: Rgba): boolean {
  return numbersEqual(a.r, b.r) && numbersEqual(a.g, b.g) && numbersEqual(a.b, b.b) && numbersEqual(a.a, b.a);
}

/** Whether Figma's value already is this plain value (a missing or alias file value never is). */
export function plainValueEquals(desired: PlainValue, file: FileValue | undefined): boolean {
  if (file === undefined) return false;
  if (typeof desired === 'number') return typeof file === 'number' && numbersEqual(desired, file);
  if (typeof desired === 'string' || typeof desired === 'boolean') return desired === file;
  return isRgba(file) && coloursEqual(desired, file);
}

/**
 * Whether Figma's value already is the sheet's value. An alias is equal when Figma's alias points at
 * the variable `resolveAlias` names for it (undefined when the target cannot be resolved: never equal).
 */
export function valueEquals(
  desired: MappedValue,
  file: FileValue | undefined,
  resolveAlias: (alias: AliasValue) => string | undefined,
): boolean {
  if (isAliasValue(desired)) {
    const target = resolveAlias(desired);
    return target !== undefined && isFileAlias(file) && file.id === target;
  }
  return plainValueEquals(desired, file);
}
