// Colour text → Figma's {r, g, b, a} in 0..1: hex read directly, every CSS function (rgb(), hsl(),
// hwb(), lab(), lch(), oklab(), oklch(), color(srgb …), color(display-p3 …); legacy comma and modern
// space syntax) parsed by culori; alpha kept, clamped to sRGB. Colour syntax the sync cannot read
// (color-mix(), other color() spaces, var()) is recognised, so the message can say why.

import { converter, modeHsl, modeHwb, modeLab, modeLch, modeOklab, modeOklch, modeP3, modeRgb, parse, useMode } from 'culori/fn';
import type { Rgba } from './model';

// culori/fn registers nothing by itself, so the plugin bundle carries only these colour spaces.
useMode(modeRgb);
useMode(modeHsl);
useMode(modeHwb);
useMode(modeLab);
useMode(modeLch);
useMode(modeOklab);
useMode(modeOklch);
// color(display-p3 …) (Radix, Tailwind v4); color(srgb …) comes with modeRgb.
useMode(modeP3);
const toRgb = converter('rgb');

/** The CSS functions the sheet format accepts as colours (matched on lower-cased, trimmed text). */
const COLOR_FUNCTION_RE = /^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch)\(/;
/** color() in the two colour spaces the sync converts; other spaces are unsupported (see UNSUPPORTED). */
const COLOR_SPACE_FUNCTION_RE = /^color\(\s*(?:srgb|display-p3)\s/;
const OTHER_COLOR_SPACE_RE = /^color\(\s*([a-z0-9-]+)/;
/** Relative colour syntax (rgb(from var(--x) r g b)): computed by the browser from another colour. */
const RELATIVE_COLOR_RE = /^(?:rgba?|hsla?|hwb|lab|lch|oklab|oklch|color)\(\s*from\s/;
/** One hex digit short or long of a valid length: almost certainly a mistyped colour. */
const NEAR_HEX_RE = /^#(?:[0-9a-f]{5}|[0-9a-f]{7})$/i;
const COLOR_NAME_RE = /^[a-z]+$/;
/**
 * A channel at least half an 8-bit step outside 0..1 makes a COLOR_OUT_OF_GAMUT warning. Smaller
 * excursions (Tailwind v4's 3-decimal oklch() values have many) round to the same 8-bit colour as
 * the clamped one, so they are clamped silently. docs/sheet-format.md states this threshold.
 */
export const GAMUT_WARNING_EXCURSION = 0.5 / 255;
const HASH = 35;

export interface ParsedColor {
  rgba: Rgba;
  /**
   * Some channel was at least GAMUT_WARNING_EXCURSION outside sRGB (e.g. rgb(300 0 0) or a vivid
   * oklch) and was clamped; smaller excursions are clamped too, without this flag.
   */
  clamped: boolean;
}

/**
 * How a text reads as a colour: `color` parses, `malformed` was plainly meant as one but does not,
 * `unsupported` is a colour in a syntax the sync cannot turn into one sRGB value (`why` says so).
 */
export type ColorReading = { kind: 'color'; color: ParsedColor } | { kind: 'malformed' } | { kind: 'unsupported'; why: string } | { kind: 'not-color' };

const RELATIVE_WHY = 'relative colour syntax ("from …") is computed by the browser from another colour; write the resulting colour, or an alias to the colour it starts from';

/** CSS colour functions the sync recognises but cannot read, with the reason (a sentence fragment). */
const UNSUPPORTED: readonly (readonly [RegExp, string])[] = [
  [/^color-mix\(/, 'color-mix() is mixed by the browser when the page is drawn, and a Figma variable holds one fixed colour; write the mixed colour itself (e.g. as oklch() or #rrggbb)'],
  [/^light-dark\(/, 'light-dark() picks a colour by the page\'s colour scheme; write each colour in its own mode column instead (e.g. Light and Dark)'],
  [/^var\(/, 'var() refers to a CSS custom property the sheet does not know; write the colour, or an alias like {color/blue/500}'],
  [/^(?:device-cmyk|contrast-color|alpha)\(/, 'this function is computed by the browser (or a print workflow), not a fixed sRGB colour; write the resulting colour instead'],
];

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
  if (COLOR_FUNCTION_RE.test(lower) || COLOR_SPACE_FUNCTION_RE.test(lower)) {
    const color = toParsedColor(parse(lower));
    if (color) return { kind: 'color', color };
    if (RELATIVE_COLOR_RE.test(lower)) return { kind: 'unsupported', why: RELATIVE_WHY };
    return MALFORMED;
  }
  const unsupported = unsupportedColor(lower);
  // var() holds anything (a font, a size), so only a row typed color calls it an unreadable colour.
  if (unsupported !== undefined && (allowNames || !lower.startsWith('var('))) return { kind: 'unsupported', why: unsupported };
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

/** Why a colour-looking text cannot be read, or undefined when it does not look like a colour function. */
function unsupportedColor(lower: string): string | undefined {
  if (lower.startsWith('color(')) {
    if (RELATIVE_COLOR_RE.test(lower)) return RELATIVE_WHY;
    const space = OTHER_COLOR_SPACE_RE.exec(lower)?.[1] ?? '?';
    return `its colour space ${space} is not one the sync converts (it reads color(srgb …) and color(display-p3 …)); convert the colour to oklch() or #rrggbb`;
  }
  for (const [re, why] of UNSUPPORTED) if (re.test(lower)) return why;
  return undefined;
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
  return v !== undefined && (v <= -GAMUT_WARNING_EXCURSION || v >= 1 + GAMUT_WARNING_EXCURSION);
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
