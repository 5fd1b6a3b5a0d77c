// What one value cell means: an alias, a colour, a number (optionally "px"), a boolean or a string,
// either inferred from the cell or read as the type a row's Type column names.

import { looksLikeAlias, parseAlias, type AliasRef } from './alias';
import { readColor, readHex } from './color';
import type { CellValue } from '../protocol/grid';
import { quote } from './mapper-problems';
import type { Rgba, VariableType } from './model';

export type LiteralValue = Rgba | number | string | boolean;

/** A value that is read, but probably not as its writer meant: reported as a warning at the cell. */
export interface LookAlike {
  code: 'STRING_LOOKS_LIKE_COLOR' | 'STRING_LOOKS_LIKE_NUMBER';
  message: string;
}

export type CellReading =
  | { kind: 'empty' }
  | { kind: 'alias'; ref: AliasRef }
  /** `clamped`: a colour outside sRGB that was clamped (a warning). `lookAlike`: an inferred string that looks like something else. */
  | { kind: 'literal'; type: VariableType; value: LiteralValue; clamped: boolean; lookAlike?: LookAlike }
  | { kind: 'invalid'; code: 'COLOR_MALFORMED' | 'ALIAS_MALFORMED' | 'VALUE_NOT_COLOR' | 'VALUE_NOT_NUMBER' | 'VALUE_NOT_BOOLEAN'; message: string };

const EMPTY: CellReading = { kind: 'empty' };
/** A number as Sheets text: 16, -0.5, .5, 1e3, with an optional "px" (any case, spaces allowed before it). */
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?(?:\s*px)?$/i;
const PX_RE = /\s*px$/i;
/**
 * A number with a CSS unit other than px ("0.25rem", "-0.05em", "150ms"): not a Figma number, which
 * has no unit. Only units CSS defines, so text such as "2x" or "4K" is left alone.
 */
const UNIT_NUMBER_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(rem|em|ex|ch|lh|ms|s|%|pt|pc|cm|mm|in|q|vh|vw|vmin|vmax|dvh|svh|lvh|dvw|svw|lvw|deg|rad|grad|turn|fr|dp|sp)$/i;
/** Colour channels without their function, as shadcn/ui writes HSL ("240 5.9% 10%") and Tailwind v3 RGB ("59 130 246"). */
const HSL_CHANNELS_RE = /^[+-]?\d+(?:\.\d+)?(?:deg)?\s+\d+(?:\.\d+)?%\s+\d+(?:\.\d+)?%(?:\s*\/\s*\d*\.?\d+%?)?$/i;
const RGB_CHANNELS_RE = /^\d{1,3}\s+\d{1,3}\s+\d{1,3}(?:\s*\/\s*\d*\.?\d+%?)?$/;
/** The px per rem the messages assume: the browsers' default root font size. */
export const PX_PER_REM = 16;

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
      : numberLiteral(n);
  }
  const lookAlike = color.kind === 'unsupported' ? unreadableColor(trimmed, color.why) : lookAlikeOf(trimmed);
  return lookAlike
    ? { kind: 'literal', type: 'STRING', value: text, clamped: false, lookAlike }
    : { kind: 'literal', type: 'STRING', value: text, clamped: false };
}

const KEEP_AS_TEXT = 'to keep it as text without this warning, write string in the row\'s Type column';

/** The warning for a string that was probably meant as a number or a colour, if it looks like one. */
function lookAlikeOf(trimmed: string): LookAlike | undefined {
  const unit = UNIT_NUMBER_RE.exec(trimmed);
  if (unit) {
    return {
      code: 'STRING_LOOKS_LIKE_NUMBER',
      message: `${quote(trimmed)} looks like a number with a unit, so it stays a string: ${unitHint(Number(unit[1]), unit[2]!.toLowerCase(), trimmed)}; ${KEEP_AS_TEXT}`,
    };
  }
  const fn = HSL_CHANNELS_RE.test(trimmed) ? 'hsl' : RGB_CHANNELS_RE.test(trimmed) ? 'rgb' : undefined;
  if (fn) {
    return {
      code: 'STRING_LOOKS_LIKE_COLOR',
      message: `${quote(trimmed)} looks like the channels of a colour without its function (as shadcn/ui and Tailwind write them), so it stays a string; write ${fn}(${trimmed}) to make it a colour, or, ${KEEP_AS_TEXT}`,
    };
  }
  return undefined;
}

function unreadableColor(trimmed: string, why: string): LookAlike {
  return { code: 'STRING_LOOKS_LIKE_COLOR', message: `${quote(trimmed)} is a colour the sync cannot read, so it stays a string: ${why}; ${KEEP_AS_TEXT}` };
}

/** What to write instead of a number with a unit: Figma numbers have none. */
function unitHint(n: number, unit: string, text: string): string {
  const round = (x: number) => String(Number(x.toPrecision(12)));
  switch (unit) {
    case 'rem':
      return `Figma numbers have no unit, so to make it a number write ${round(n * PX_PER_REM)} or ${round(n * PX_PER_REM)}px (${text} at ${PX_PER_REM} px per rem)`;
    case 'em':
      return `em depends on the font size where it is used, which a Figma number cannot know, so to make it a number write it in px for your font size (at 16 px, ${round(n * 16)})`;
    case 'ms':
      return `Figma numbers have no unit, so to make it a number write ${round(n)} (milliseconds)`;
    case 's':
      return `Figma numbers have no unit, so to make it a number write ${round(n * 1000)} (milliseconds) or ${round(n)} (seconds)`;
    case '%':
      return `Figma numbers have no unit, so to make it a number write ${round(n / 100)} (a fraction, as opacity takes) or ${round(n)}`;
    default:
      return `Figma numbers have no unit, so to make it a number write ${round(n)} (in ${unit}) or the value converted to px`;
  }
}

function numberLiteral(n: number): CellReading {
  return { kind: 'literal', type: 'FLOAT', value: n, clamped: false };
}

/** Whether a cell that reads as a number was written with "px" ("16px", "16 PX"). */
export function writtenWithPx(value: CellValue | undefined): boolean {
  if (typeof value !== 'string') return false;
  const s = value.trimEnd();
  const last = s.charCodeAt(s.length - 1);
  return (last === 120 || last === 88) && PX_RE.test(s);
}

function readTextAs(text: string, type: VariableType): CellReading {
  const trimmed = text.trim();
  if (looksLikeAlias(trimmed)) return readAlias(trimmed);
  switch (type) {
    case 'COLOR': {
      const color = readColor(trimmed, true);
      if (color.kind === 'color') return { kind: 'literal', type, value: color.color.rgba, clamped: color.color.clamped };
      if (color.kind === 'malformed') return malformedColor(trimmed);
      if (color.kind === 'unsupported') return { kind: 'invalid', code: 'VALUE_NOT_COLOR', message: `${quote(trimmed)} is a colour the sync cannot read: ${color.why}` };
      const fn = HSL_CHANNELS_RE.test(trimmed) ? 'hsl' : RGB_CHANNELS_RE.test(trimmed) ? 'rgb' : undefined;
      if (fn) return { kind: 'invalid', code: 'VALUE_NOT_COLOR', message: `${quote(trimmed)} are the channels of a colour without its function; write ${fn}(${trimmed})` };
      return notType(type, trimmed);
    }
    case 'FLOAT': {
      const n = parseNumberText(trimmed);
      if (n !== undefined) return numberLiteral(n);
      const unit = UNIT_NUMBER_RE.exec(trimmed);
      if (unit) return { kind: 'invalid', code: 'VALUE_NOT_NUMBER', message: `${quote(trimmed)} is a number with a unit the sync does not convert: ${unitHint(Number(unit[1]), unit[2]!.toLowerCase(), trimmed)}` };
      return notType(type, trimmed);
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
