// The shortest text of a Figma number or colour that the mapper reads back as the same value within
// the planner's float tolerance (value-equality.ts): what the export writes, so that adopting the
// exported sheet writes no value. Colours are #rrggbb or #rrggbbaa when 8 bits per channel suffice,
// else color(srgb r g b / a) with as many decimals as the channels need.

import { readColor } from './color';
import type { Rgba } from './model';
import { coloursEqual, numbersEqual } from './value-equality';

/** The number with the fewest significant digits that reads back within tolerance (0.10000000149 → 0.1). */
export function shortestNumber(n: number): number {
  if (!Number.isFinite(n)) return n;
  for (let p = 1; p <= 17; p++) {
    const candidate = Number(n.toPrecision(p));
    if (numbersEqual(candidate, n)) return candidate === 0 ? 0 : candidate;
  }
  return n;
}

const hexByte = (v: number): string => Math.round(v * 255).toString(16).padStart(2, '0');

/** A channel in the fewest decimals (0..1, so 7 always suffice for a tolerance of 1e-6). */
function decimals(v: number, atLeast: number): string {
  for (let d = atLeast; d <= 10; d++) {
    const text = v.toFixed(d);
    if (numbersEqual(Number(text), v)) return d === 0 ? text : text.replace(/\.?0+$/, '');
  }
  return String(v);
}

/** Whether every channel (alpha included) survives 8 bits: n/255 is within tolerance of it. */
function fitsHex(c: Rgba): boolean {
  return [c.r, c.g, c.b, c.a].every((v) => v >= 0 && v <= 1 && numbersEqual(Math.round(v * 255) / 255, v));
}

/**
 * The colour as the sheet writes it, or undefined when no text reads back as it (a channel outside
 * 0..1, which Figma never stores). Each candidate is checked with the mapper's own colour reader.
 */
export function colorText(c: Rgba): string | undefined {
  const opaque = numbersEqual(c.a, 1);
  if (fitsHex(c)) {
    const text = `#${hexByte(c.r)}${hexByte(c.g)}${hexByte(c.b)}${opaque ? '' : hexByte(c.a)}`;
    if (readsBackAs(text, c)) return text;
  }
  for (let atLeast = 0; atLeast <= 8; atLeast += 4) {
    const alpha = opaque ? '' : ` / ${decimals(c.a, atLeast)}`;
    const text = `color(srgb ${decimals(c.r, atLeast)} ${decimals(c.g, atLeast)} ${decimals(c.b, atLeast)}${alpha})`;
    if (readsBackAs(text, c)) return text;
  }
  return undefined;
}

function readsBackAs(text: string, c: Rgba): boolean {
  const reading = readColor(text);
  return reading.kind === 'color' && !reading.color.clamped && coloursEqual(reading.color.rgba, c);
}
