// What one value cell means: an alias, a colour, a number (optionally "px"), a boolean or a string,
// either inferred from the cell or read as the type a row's Type column names.

import { looksLikeAlias, parseAlias, type AliasRef } from './alias';
import { readColor, readHex } from './color';
import type { CellValue } from './grid';
import { quote } from './mapper-problems';
import type { Rgba, VariableType } from './model';

export type LiteralValue = Rgba | number | string | boolean;

export type CellReading =
  | { kind: 'empty' }
  | { kind: 'alias'; ref: AliasRef }
  /** `clamped`: a colour outside sRGB that was clamped (a warning). */
  | { kind: 'literal'; type: VariableType; value: LiteralValue; clamped: boolean }
  | { kind: 'invalid'; code: 'COLOR_MALFORMED' | 'ALIAS_MALFORMED' | 'VALUE_NOT_COLOR' | 'VALUE_NOT_NUMBER' | 'VALUE_NOT_BOOLEAN'; message: string };

const EMPTY: CellReading = { kind: 'empty' };
/** A number as Sheets text: 16, -0.5, .5, 1e3, with an optional "px" (any case, spaces allowed before it). */
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?(?:\s*px)?$/i;
const PX_RE = /\s*px$/i;

/** A cell as text: strings as they are, TRUE/FALSE as Sheets shows them, numbers in JavaScript form. */
export function cellText(value: CellValue | undefined): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  return '';
}

/** Empty cells and cells of only spaces count as empty; so do values the grid should never hold. */
export function isBlank(value: CellValue | undefined): boolean {
  if (typeof value === 'string') {
    if (value === '') return true;
    // Most cells start with a visible ASCII character: no need to trim (and copy) them.
    const c = value.charCodeAt(0);
    if (c > 32 && c < 127) return false;
    return value.trim() === '';
  }
  return typeof value !== 'number' && typeof value !== 'boolean';
}

/** The number in "16", "-0.5", "1e3", "16px" or "16 px"; undefined for anything else or ±Infinity. */
export function parseNumberText(text: string): number | undefined {
  const s = text.trim();
  if (!NUMBER_RE.test(s)) return undefined;
  const n = Number(s.replace(PX_RE, ''));
  return Number.isFinite(n) ? n : undefined;
}

/** The Figma type a Type cell names: color/colour, number/float, string/text, boolean/bool (any case). */
export function parseTypeName(text: string): VariableType | undefined {
  switch (text.trim().toLowerCase()) {
    case 'color':
    case 'colour':
      return 'COLOR';
    case 'number':
    case 'float':
      return 'FLOAT';
    case 'string':
    case 'text':
      return 'STRING';
    case 'boolean':
    case 'bool':
      return 'BOOLEAN';
    default:
      return undefined;
  }
}

/** A Hidden cell: TRUE/FALSE (Sheets booleans or the words, any case); empty is FALSE. */
export function parseHidden(value: CellValue | undefined): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (isBlank(value)) return false;
  if (typeof value !== 'string') return undefined;
  const s = value.trim().toLowerCase();
  return s === 'true' ? true : s === 'false' ? false : undefined;
}

/**
 * Reads value cells, remembering the reading of each distinct text: a sheet repeats the same
 * colours and aliases many times, and culori parsing is the costly part. One reader per mapGrid call.
 */
export class CellReader {
  private readonly inferred = new Map<string, CellReading>();
  /** One map per type: a key like type + text would build a new string for every lookup. */
  private readonly typed: Record<VariableType, Map<string, CellReading>> = { COLOR: new Map(), FLOAT: new Map(), STRING: new Map(), BOOLEAN: new Map() };

  /** The reading of a cell in a row without a type: the cell decides its own type. */
  infer(value: CellValue | undefined): CellReading {
    if (typeof value === 'boolean') return { kind: 'literal', type: 'BOOLEAN', value, clamped: false };
    if (typeof value === 'number') return readNumberCell(value);
    if (typeof value !== 'string' || isBlank(value)) return EMPTY;
    if (cheapToRead(value)) return inferText(value);
    let reading = this.inferred.get(value);
    if (!reading) {
      reading = inferText(value);
      this.inferred.set(value, reading);
    }
    return reading;
  }

  /** The reading of a cell as the type the row's Type column names. */
  readAs(value: CellValue | undefined, type: VariableType): CellReading {
    if (typeof value === 'string') {
      if (isBlank(value)) return EMPTY;
      if (cheapToRead(value)) return readTextAs(value, type);
      const cache = this.typed[type];
      let reading = cache.get(value);
      if (!reading) {
        reading = readTextAs(value, type);
        cache.set(value, reading);
      }
      return reading;
    }
    if (typeof value === 'number') {
      if (type === 'FLOAT') return readNumberCell(value);
      if (type === 'STRING') return { kind: 'literal', type, value: String(value), clamped: false };
      return notType(type, String(value));
    }
    if (typeof value === 'boolean') {
      if (type === 'BOOLEAN') return { kind: 'literal', type, value, clamped: false };
      if (type === 'STRING') return { kind: 'literal', type, value: value ? 'TRUE' : 'FALSE', clamped: false };
      return notType(type, value ? 'TRUE' : 'FALSE');
    }
    return EMPTY;
  }
}

/**
 * Hex colours and numbers (text starting with #, a digit or a sign) read faster than a cache
 * lookup costs; aliases and colour functions, which repeat and parse slowly, are worth caching.
 */
function cheapToRead(text: string): boolean {
  const c = text.charCodeAt(0);
  return c === 35 || (c >= 48 && c <= 57) || c === 45 || c === 43 || c === 46;
}

function readNumberCell(value: number): CellReading {
  return Number.isFinite(value)
    ? { kind: 'literal', type: 'FLOAT', value, clamped: false }
    : { kind: 'invalid', code: 'VALUE_NOT_NUMBER', message: `${String(value)} is not a finite number; write a number like 16 or 16px` };
}

function inferText(text: string): CellReading {
  const trimmed = text.trim();
  if (looksLikeAlias(trimmed)) return readAlias(trimmed);
  const hex = readHex(trimmed);
  if (hex) return { kind: 'literal', type: 'COLOR', value: hex, clamped: false };
  const color = readColor(trimmed);
  if (color.kind === 'color') return { kind: 'literal', type: 'COLOR', value: color.color.rgba, clamped: color.color.clamped };
  if (color.kind === 'malformed') return malformedColor(trimmed);
  if (NUMBER_RE.test(trimmed)) {
    const n = parseNumberText(trimmed);
    return n === undefined
      ? { kind: 'invalid', code: 'VALUE_NOT_NUMBER', message: `${quote(trimmed)} is too large for a number; write a number like 16 or 16px` }
      : { kind: 'literal', type: 'FLOAT', value: n, clamped: false };
  }
  return { kind: 'literal', type: 'STRING', value: text, clamped: false };
}

function readTextAs(text: string, type: VariableType): CellReading {
  const trimmed = text.trim();
  if (looksLikeAlias(trimmed)) return readAlias(trimmed);
  switch (type) {
    case 'COLOR': {
      const color = readColor(trimmed, true);
      if (color.kind === 'color') return { kind: 'literal', type, value: color.color.rgba, clamped: color.color.clamped };
      if (color.kind === 'malformed') return malformedColor(trimmed);
      return notType(type, trimmed);
    }
    case 'FLOAT': {
      const n = parseNumberText(trimmed);
      return n === undefined ? notType(type, trimmed) : { kind: 'literal', type, value: n, clamped: false };
    }
    case 'BOOLEAN': {
      const lower = trimmed.toLowerCase();
      if (lower === 'true' || lower === 'false') return { kind: 'literal', type, value: lower === 'true', clamped: false };
      return notType(type, trimmed);
    }
    case 'STRING':
      return { kind: 'literal', type, value: text, clamped: false };
  }
}

function readAlias(trimmed: string): CellReading {
  const parsed = parseAlias(trimmed);
  return parsed.ok ? { kind: 'alias', ref: parsed.ref } : { kind: 'invalid', code: 'ALIAS_MALFORMED', message: parsed.message };
}

function malformedColor(trimmed: string): CellReading {
  return {
    kind: 'invalid',
    code: 'COLOR_MALFORMED',
    message: `${quote(trimmed)} looks like a colour but is not one; write #rgb, #rrggbb, #rrggbbaa, rgb(0 85 255), rgb(0 85 255 / 50%) or hsl(220 100% 50%)`,
  };
}

function notType(type: VariableType, text: string): CellReading {
  switch (type) {
    case 'COLOR':
      return { kind: 'invalid', code: 'VALUE_NOT_COLOR', message: `${quote(text)} is not a colour; the Type column says color, so write a colour like #0055ff or rgb(0 85 255), or an alias like {color/blue/500}` };
    case 'FLOAT':
      return { kind: 'invalid', code: 'VALUE_NOT_NUMBER', message: `${quote(text)} is not a number; the Type column says number, so write a number like 16 or 16px, or an alias like {spacing/4}` };
    case 'BOOLEAN':
      return { kind: 'invalid', code: 'VALUE_NOT_BOOLEAN', message: `${quote(text)} is not a boolean; the Type column says boolean, so write TRUE or FALSE, or an alias like {flags/beta}` };
    case 'STRING':
      // Every cell reads as a string; this is never reached.
      return { kind: 'literal', type, value: text, clamped: false };
  }
}
