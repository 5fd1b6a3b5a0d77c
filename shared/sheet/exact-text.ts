// The shortest text of a Figma number or colour that the mapper reads back as the same value within
// the planner's float tolerance (value-equality.ts): what the export writes, so that adopting the
// exported sheet writes no value. Colours are #rrggbb or #rrggbbaa when 8 bits per channel suffice,
// else color(srgb r g b / a) with as many decimals as the channels need.

import { readHex } from './color';
import type { Rgba } from './model';
import { coloursEqual, numbersEqual } from './value-equality';

/**
 * The number with the fewest significant digits that reads back within tolerance (0.10000000149 → 0.1).
 * Each precision is tried by arithmetic first (toPrecision is slow, and an export has 20,000 values);
 * the one that passes is written with toPrecision and checked once more.
 */
export function shortestNumber(n: number): number {
  if (!Number.isFinite(n) || n === 0) return n === 0 ? 0 : n;
  const exponent = Math.floor(Math.log10(Math.abs(n)));
  for (let p = 1; p <= 17; p++) {
    const scale = 10 ** (p - 1 - exponent);
    if (!Number.isFinite(scale) || !numbersEqual(Math.round(n * scale) / scale, n)) continue;
    const candidate = Number(n.toPrecision(p));
    if (numbersEqual(candidate, n)) return candidate === 0 ? 0 : candidate;
  }
  return n;
}

const hexByte = (v: number): string => Math.round(v * 255).toString(16).padStart(2, '0');

/**
 * A channel (0..1) in the fewest decimals within tolerance: 6 always suffice for 1e-6 (error ≤ 5e-7).
 * Math.round(v·10^d)/10^d is the double nearest k/10^d, as is the number its text reads as.
 */
function decimals(v: number): string {
  for (let d = 0; d < 6; d++) {
    const scale = 10 ** d;
    if (!numbersEqual(Math.round(v * scale) / scale, v)) continue;
    const text = v.toFixed(d);
    return d === 0 ? text : text.replace(/\.?0+$/, '');
  }
  return v.toFixed(6).replace(/\.?0+$/, '');
}

/** Whether every channel (alpha included) survives 8 bits: n/255 is within tolerance of it. */
function fitsHex(c: Rgba): boolean {
  return [c.r, c.g, c.b, c.a].every((v) => v >= 0 && v <= 1 && numbersEqual(Math.round(v * 255) / 255, v));
}

/**
 * The colour as the sheet writes it, or undefined for a channel outside 0..1 (which Figma never
 * stores). Hex is checked with the mapper's hex reader; color(srgb …) is read by culori as the decimal
 * numbers written (parsing each would cost more than the whole rest of an export: the round-trip
 * property test, test/shared/sheet/sheet-export-round-trip.test.ts, reads every one back through the mapper).
 */
export function colorText(c: Rgba): string | undefined {
  if (![c.r, c.g, c.b, c.a].every((v) => v >= 0 && v <= 1)) return undefined;
  const opaque = numbersEqual(c.a, 1);
  if (fitsHex(c)) {
    const text = `#${hexByte(c.r)}${hexByte(c.g)}${hexByte(c.b)}${opaque ? '' : hexByte(c.a)}`;
    const back = readHex(text);
    if (back && coloursEqual(back, c)) return text;
  }
  const alpha = opaque ? '' : ` / ${decimals(c.a)}`;
  return `color(srgb ${decimals(c.r)} ${decimals(c.g)} ${decimals(c.b)}${alpha})`;
}
