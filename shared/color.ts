// Colour text → Figma's {r, g, b, a} in 0..1, parsed by culori (hex, rgb(), hsl(), hwb(), lab(),
// lch(), oklab(), oklch(), legacy comma and modern space syntax), alpha kept, clamped to sRGB.

import { converter, modeHsl, modeHwb, modeLab, modeLch, modeOklab, modeOklch, modeRgb, parse, parseHex, useMode } from 'culori/fn';
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
const NEAR_HEX_RE = /^#(?:[0-9a-f]{5}|[0-9a-f]{7})$/;
const HEX_RE = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/;
const COLOR_NAME_RE = /^[a-z]+$/;
/** Channels this far outside 0..1 count as out of gamut (not float noise from conversions). */
const GAMUT_EPSILON = 1e-6;

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
  const s = text.trim().toLowerCase();
  if (s.startsWith('#')) {
    if (HEX_RE.test(s)) {
      // culori's hex parser alone: the general parse() tokenizes first, which hex does not need.
      const color = toParsedColor(parseHex(s));
      return color ? { kind: 'color', color } : { kind: 'malformed' };
    }
    return NEAR_HEX_RE.test(s) ? { kind: 'malformed' } : { kind: 'not-color' };
  }
  if (COLOR_FUNCTION_RE.test(s)) {
    const color = toParsedColor(parse(s));
    return color ? { kind: 'color', color } : { kind: 'malformed' };
  }
  if (allowNames && COLOR_NAME_RE.test(s)) {
    const color = toParsedColor(parse(s));
    if (color) return { kind: 'color', color };
  }
  return { kind: 'not-color' };
}

/** The colour in a text, or undefined when it is not one (see readColor). */
export function parseColor(text: string, allowNames = false): ParsedColor | undefined {
  const reading = readColor(text, allowNames);
  return reading.kind === 'color' ? reading.color : undefined;
}

function toParsedColor(color: ReturnType<typeof parse>): ParsedColor | undefined {
  const rgb = color && (color.mode === 'rgb' ? color : toRgb(color));
  if (!rgb) return undefined;
  let clamped = false;
  const channel = (v: number | undefined): number => {
    // culori leaves a "none" channel undefined; CSS treats it as 0.
    if (v === undefined || Number.isNaN(v)) return 0;
    if (v < -GAMUT_EPSILON || v > 1 + GAMUT_EPSILON) clamped = true;
    return v < 0 ? 0 : v > 1 ? 1 : v;
  };
  const rgba: Rgba = { r: channel(rgb.r), g: channel(rgb.g), b: channel(rgb.b), a: 1 };
  const alpha = rgb.alpha;
  rgba.a = alpha === undefined || Number.isNaN(alpha) ? 1 : alpha < 0 ? 0 : alpha > 1 ? 1 : alpha;
  return { rgba, clamped };
}

/** "#rrggbb", or "#rrggbbaa" when the colour is not opaque; lower-case. */
export function formatHex(color: Rgba): string {
  const hex = (v: number) => Math.round(Math.min(1, Math.max(0, v)) * 255).toString(16).padStart(2, '0');
  const base = `#${hex(color.r)}${hex(color.g)}${hex(color.b)}`;
  return color.a >= 1 ? base : `${base}${hex(color.a)}`;
}
