// Colour text → Figma's {r, g, b, a} in 0..1: hex read directly, every CSS function (rgb(), hsl(),
// hwb(), lab(), lch(), oklab(), oklch(); legacy comma and modern space syntax) parsed by culori;
// alpha kept, clamped to sRGB.

import { converter, modeHsl, modeHwb, modeLab, modeLch, modeOklab, modeOklch, modeRgb, parse, useMode } from 'culori/fn';
import type { Rgba } from './model';

// culori/fn registers nothing by itself, so the plugin bundle carries only these colour spaces.
useMode(modeRgb);
useMode(modeHsl);
useMode(modeHwb);
useMode(modeLab);
useMode(modeLch);
useMode(modeOklab);
useMode(modeOklch);
const toRgb = converter('rgb');

/** The CSS functions the sheet format accepts as colours (matched on lower-cased, trimmed text). */
const COLOR_FUNCTION_RE = /^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/;
/** One hex digit short or long of a valid length: almost certainly a mistyped colour. */
const NEAR_HEX_RE = /^#(?:[0-9a-f]{5}|[0-9a-f]{7})$/i;
const COLOR_NAME_RE = /^[a-z]+$/;
/** Channels this far outside 0..1 count as out of gamut (not float noise from conversions). */
const GAMUT_EPSILON = 1e-6;
const HASH = 35;

export interface ParsedColor {
  rgba: Rgba;
  /** Some channel was outside sRGB (e.g. rgb(300 0 0) or a vivid oklch) and was clamped. */
  clamped: boolean;
}

/** How a text reads as a colour: `color` parses, `malformed` was plainly meant as one but does not. */
export type ColorReading = { kind: 'color'; color: ParsedColor } | { kind: 'malformed' } | { kind: 'not-color' };

/**
 * Reads text written in one of the sheet format's colour syntaxes. CSS colour names ("red") are
 * read only when `allowNames` is set (a row whose Type column says color), so that a string
 * variable whose value happens to be "red" stays a string.
 */
export function readColor(text: string, allowNames = false): ColorReading {
  const s = text.trim();
  const first = s.charCodeAt(0);
  if (first === HASH) {
    const hex = readHex(s);
    if (hex) return { kind: 'color', color: { rgba: hex, clamped: false } };
    return NEAR_HEX_RE.test(s) ? MALFORMED : NOT_COLOR;
  }
  // Colour functions and names start with a letter: numbers and aliases are turned away here cheaply.
  if (!((first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return NOT_COLOR;
  const lower = s.toLowerCase();
  if (COLOR_FUNCTION_RE.test(lower)) {
    const color = toParsedColor(parse(lower));
    return color ? { kind: 'color', color } : MALFORMED;
  }
  if (allowNames && COLOR_NAME_RE.test(lower)) {
    const color = toParsedColor(parse(lower));
    if (color) return { kind: 'color', color };
  }
  return NOT_COLOR;
}

/**
 * #rgb, #rgba, #rrggbb, #rrggbbaa read digit by digit. Hex is most of a token sheet and this is
 * several times faster than culori's regex-based parseHex, which gives the same numbers (a test
 * compares the two on random colours); every other syntax goes through culori.
 */
export function readHex(s: string): Rgba | undefined {
  if (s.charCodeAt(0) !== HASH) return undefined;
  const n = s.length - 1;
  let r: number;
  let g: number;
  let b: number;
  let a = 255;
  if (n === 3 || n === 4) {
    r = hexDigit(s.charCodeAt(1)) * 17;
    g = hexDigit(s.charCodeAt(2)) * 17;
    b = hexDigit(s.charCodeAt(3)) * 17;
    if (n === 4) a = hexDigit(s.charCodeAt(4)) * 17;
  } else if (n === 6 || n === 8) {
    r = hexByte(s, 1);
    g = hexByte(s, 3);
    b = hexByte(s, 5);
    if (n === 8) a = hexByte(s, 7);
  } else return undefined;
  if (r < 0 || g < 0 || b < 0 || a < 0) return undefined;
  return { r: r / 255, g: g / 255, b: b / 255, a: a === 255 ? 1 : a / 255 };
}

/** Two hex digits at i as 0..255, or a negative number when either is not a hex digit. */
function hexByte(s: string, i: number): number {
  const hi = hexDigit(s.charCodeAt(i));
  const lo = hexDigit(s.charCodeAt(i + 1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

const MALFORMED: ColorReading = { kind: 'malformed' };
const NOT_COLOR: ColorReading = { kind: 'not-color' };

/** The colour in a text, or undefined when it is not one (see readColor). */
export function parseColor(text: string, allowNames = false): ParsedColor | undefined {
  const reading = readColor(text, allowNames);
  return reading.kind === 'color' ? reading.color : undefined;
}

function toParsedColor(color: ReturnType<typeof parse>): ParsedColor | undefined {
  const rgb = color && (color.mode === 'rgb' ? color : toRgb(color));
  if (!rgb) return undefined;
  const clamped = outOfGamut(rgb.r) || outOfGamut(rgb.g) || outOfGamut(rgb.b);
  return { rgba: { r: unit(rgb.r, 0), g: unit(rgb.g, 0), b: unit(rgb.b, 0), a: unit(rgb.alpha, 1) }, clamped };
}

function outOfGamut(v: number | undefined): boolean {
  return v !== undefined && (v < -GAMUT_EPSILON || v > 1 + GAMUT_EPSILON);
}

/** A channel clamped to 0..1; culori leaves a "none" channel (and an absent alpha) undefined. */
function unit(v: number | undefined, absent: number): number {
  if (v === undefined || Number.isNaN(v)) return absent;
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** "#rrggbb", or "#rrggbbaa" when the colour is not opaque; lower-case. */
export function formatHex(color: Rgba): string {
  const hex = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255).toString(16).padStart(2, '0');
  const base = `#${hex(color.r)}${hex(color.g)}${hex(color.b)}`;
  return color.a >= 1 ? base : `${base}${hex(color.a)}`;
}
