// One token value → what a sheet cell can hold: a colour, number, string or boolean as cell text
// with its Figma type, a reference to another token, or "left out" with the reason (a Figma
// variable cannot hold typography, shadows, …). Conversions that change how a value is written
// (rem to px, a colour space to sRGB, a font-weight keyword to its number) are named, so the
// import report can say so. docs/tokens.md lists every rule.

import { converter, parse } from 'culori';
import { readColor } from '../shared/sheet/color';
import type { VariableType } from '../shared/sheet/model';
import type { SourceToken } from './token-sources';

export type Conversion =
  | { kind: 'literal'; type: VariableType; text: string; scope?: 'FONT_FAMILY' | 'FONT_WEIGHT' | 'FONT_STYLE'; converted?: string }
  | { kind: 'reference'; path: string }
  | { kind: 'left-out'; what: string }
  | { kind: 'invalid'; message: string };

export const PX_PER_REM = 16;

/** DTCG 2025.10 and Tokens Studio types a Figma variable cannot hold. */
const LEFT_OUT_TYPES = new Set(['typography', 'shadow', 'border', 'transition', 'gradient', 'cubicBezier', 'duration', 'strokeStyle', 'boxShadow', 'composition', 'asset', 'link']);

const FONT_WEIGHTS: Record<string, number> = {
  thin: 100, hairline: 100, 'extra-light': 200, 'ultra-light': 200, light: 300, normal: 400, regular: 400, book: 400,
  medium: 500, 'semi-bold': 600, 'demi-bold': 600, bold: 700, 'extra-bold': 800, 'ultra-bold': 800, black: 900, heavy: 900,
  'extra-black': 950, 'ultra-black': 950,
};

const STUDIO_NUMBER_TYPES = new Set(['sizing', 'spacing', 'borderRadius', 'borderWidth', 'fontSizes', 'paragraphSpacing', 'paragraphIndent', 'letterSpacing', 'lineHeights', 'dimension', 'number', 'opacity']);
const STUDIO_STRING_TYPES = new Set(['text', 'textCase', 'textDecoration', 'other', 'string']);

const REFERENCE_RE = /^\{([^{}]+)\}$/;
const NUMBER_RE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;
const DIMENSION_RE = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*(px|rem|%)?$/i;

const num = (n: number): string => String(n);

/** The Figma type this product's extension records, as the DTCG type its values are written in. */
function typeFromExtension(token: SourceToken, value: unknown): string | undefined {
  switch (token.extension?.type) {
    case 'COLOR':
      return 'color';
    case 'FLOAT':
      return typeof value === 'object' ? 'dimension' : 'number';
    case 'STRING':
      return 'string';
    case 'BOOLEAN':
      return 'boolean';
    default:
      return undefined;
  }
}

/** Converts one value of a token (its $value, or one mode's value from this product's extension). */
export function convertValue(token: SourceToken, value: unknown): Conversion {
  if (typeof value === 'string') {
    const ref = REFERENCE_RE.exec(value.trim());
    if (ref) return { kind: 'reference', path: ref[1]!.trim() };
  }
  if (token.modifier) return { kind: 'left-out', what: 'Tokens Studio colour modifier' };
  if (typeof value === 'object' && value !== null && '$ref' in value) return { kind: 'left-out', what: 'JSON pointer ($ref) value' };
  const type = typeFromExtension(token, value) ?? token.type;
  if (type === undefined) return { kind: 'left-out', what: 'token without $type' };
  if (LEFT_OUT_TYPES.has(type)) return { kind: 'left-out', what: type };
  if (typeof value === 'string' && /\{[^{}]+\}/.test(value) && type !== 'string' && !STUDIO_STRING_TYPES.has(type)) return { kind: 'left-out', what: 'expression with references (math or a colour function)' };
  switch (type) {
    case 'color':
      return colorCell(value);
    case 'dimension':
      return dimensionCell(value, type);
    case 'number':
      return typeof value === 'number' ? { kind: 'literal', type: 'FLOAT', text: num(value) } : dimensionCell(value, type);
    case 'fontFamily':
    case 'fontFamilies':
      return fontFamilyCell(value);
    case 'fontWeight':
    case 'fontWeights':
      return fontWeightCell(value, type);
    case 'boolean':
      if (typeof value === 'boolean') return { kind: 'literal', type: 'BOOLEAN', text: value ? 'TRUE' : 'FALSE' };
      if (value === 'true' || value === 'false') return { kind: 'literal', type: 'BOOLEAN', text: value === 'true' ? 'TRUE' : 'FALSE' };
      return { kind: 'invalid', message: `${JSON.stringify(value)} is not a boolean` };
    default:
      if (STUDIO_NUMBER_TYPES.has(type)) return dimensionCell(value, type);
      if (STUDIO_STRING_TYPES.has(type)) {
        return typeof value === 'string' || typeof value === 'number' ? { kind: 'literal', type: 'STRING', text: String(value) } : { kind: 'invalid', message: `${JSON.stringify(value)} is not text` };
      }
      return { kind: 'left-out', what: `type "${type}"` };
  }
}

function dimensionCell(value: unknown, type: string): Conversion {
  if (typeof value === 'number') return { kind: 'literal', type: 'FLOAT', text: num(value) };
  let amount: number;
  let unit: string;
  if (typeof value === 'object' && value !== null && typeof (value as { value?: unknown }).value === 'number' && typeof (value as { unit?: unknown }).unit === 'string') {
    amount = (value as { value: number }).value;
    unit = (value as { unit: string }).unit;
  } else if (typeof value === 'string' && DIMENSION_RE.test(value.trim())) {
    const m = DIMENSION_RE.exec(value.trim())!;
    amount = Number(m[1]);
    unit = (m[2] ?? '').toLowerCase();
  } else return typeof value === 'string' ? { kind: 'left-out', what: `${type} that is not a number, px or rem` } : { kind: 'invalid', message: `${JSON.stringify(value)} is not a ${type}` };
  if (unit === 'px') return { kind: 'literal', type: 'FLOAT', text: `${num(amount)}px` };
  if (unit === '') return { kind: 'literal', type: 'FLOAT', text: num(amount) };
  if (unit === 'rem') return { kind: 'literal', type: 'FLOAT', text: `${num(amount * PX_PER_REM)}px`, converted: `rem → px at ${PX_PER_REM} px per rem` };
  if (unit === '%' && type === 'opacity') return { kind: 'literal', type: 'FLOAT', text: num(amount / 100), converted: 'opacity percentage → fraction' };
  return { kind: 'left-out', what: `${type} in ${unit}` };
}

function fontFamilyCell(value: unknown): Conversion {
  if (typeof value === 'string') return { kind: 'literal', type: 'STRING', text: value, scope: 'FONT_FAMILY' };
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'string') return { kind: 'literal', type: 'STRING', text: value[0], scope: 'FONT_FAMILY', converted: 'one-font fontFamily list → its font' };
  if (Array.isArray(value)) return { kind: 'left-out', what: 'fontFamily list' };
  return { kind: 'invalid', message: `${JSON.stringify(value)} is not a font family` };
}

function fontWeightCell(value: unknown, type: string): Conversion {
  if (typeof value === 'number') return { kind: 'literal', type: 'FLOAT', text: num(value), scope: 'FONT_WEIGHT' };
  if (typeof value === 'string' && NUMBER_RE.test(value.trim())) return { kind: 'literal', type: 'FLOAT', text: num(Number(value.trim())), scope: 'FONT_WEIGHT' };
  if (typeof value === 'string' && type === 'fontWeight' && FONT_WEIGHTS[value] !== undefined) {
    return { kind: 'literal', type: 'FLOAT', text: String(FONT_WEIGHTS[value]), scope: 'FONT_WEIGHT', converted: 'fontWeight keyword → its number' };
  }
  // Tokens Studio writes weights as font style names ("Bold", "Semibold Italic"); Figma holds those as strings.
  if (typeof value === 'string') return { kind: 'literal', type: 'STRING', text: value, scope: 'FONT_STYLE', converted: 'font weight name → string (FONT_STYLE)' };
  return { kind: 'invalid', message: `${JSON.stringify(value)} is not a font weight` };
}

// ---------------------------------------------------------------------------------------------
// Colours

const isByte = (v: number): boolean => Math.round(v * 255) / 255 === v;
const hex2 = (v: number): string => Math.round(v * 255).toString(16).padStart(2, '0');
const toRgb = converter('rgb');

/** How the sheet writes each colour space of the Color Module 2025.10 that it reads itself. */
const CSS_SPACES: Record<string, (c: string[], alpha: string) => string> = {
  'display-p3': (c, a) => `color(display-p3 ${c.join(' ')}${a})`,
  hsl: (c, a) => `hsl(${c[0]} ${pct(c[1]!)} ${pct(c[2]!)}${a})`,
  hwb: (c, a) => `hwb(${c[0]} ${pct(c[1]!)} ${pct(c[2]!)}${a})`,
  lab: (c, a) => `lab(${c.join(' ')}${a})`,
  lch: (c, a) => `lch(${c.join(' ')}${a})`,
  oklab: (c, a) => `oklab(${c.join(' ')}${a})`,
  oklch: (c, a) => `oklch(${c.join(' ')}${a})`,
};
const pct = (c: string): string => (c === 'none' ? c : `${c}%`);

/** Colour Module 2025.10 objects and the colour strings of older drafts and Tokens Studio. */
function colorCell(value: unknown): Conversion {
  if (typeof value === 'string') {
    const reading = readColor(value, true);
    if (reading.kind === 'color') return { kind: 'literal', type: 'COLOR', text: value.trim() };
    if (/gradient\(/i.test(value)) return { kind: 'left-out', what: 'gradient' };
    return { kind: 'left-out', what: 'colour the sheet cannot read' };
  }
  if (typeof value !== 'object' || value === null) return { kind: 'invalid', message: `${JSON.stringify(value)} is not a colour` };
  const v = value as { colorSpace?: unknown; components?: unknown; alpha?: unknown; hex?: unknown };
  const alpha = typeof v.alpha === 'number' ? v.alpha : 1;
  const components = Array.isArray(v.components) && v.components.length === 3 && v.components.every((c) => typeof c === 'number' || c === 'none') ? (v.components as (number | 'none')[]) : undefined;
  if (typeof v.colorSpace !== 'string' || !components) {
    if (typeof v.hex === 'string' && /^#[0-9a-f]{6}$/i.test(v.hex)) return { kind: 'literal', type: 'COLOR', text: v.hex.toLowerCase(), converted: 'colour without colour space → its hex fallback' };
    return { kind: 'invalid', message: 'a colour needs colorSpace and three components' };
  }
  const a = alpha === 1 ? '' : ` / ${num(alpha)}`;
  if (v.colorSpace === 'srgb') {
    const rgb = components.map((c) => (c === 'none' ? 0 : c));
    if (rgb.every(isByte) && rgb.every((c) => c >= 0 && c <= 1)) {
      if (alpha === 1) return { kind: 'literal', type: 'COLOR', text: `#${rgb.map(hex2).join('')}` };
      if (isByte(alpha)) return { kind: 'literal', type: 'COLOR', text: `#${rgb.map(hex2).join('')}${hex2(alpha)}` };
      return { kind: 'literal', type: 'COLOR', text: `rgb(${rgb.map((c) => Math.round(c * 255)).join(' ')}${a})` };
    }
    return { kind: 'literal', type: 'COLOR', text: `color(srgb ${components.map(String).join(' ')}${a})` };
  }
  const css = CSS_SPACES[v.colorSpace];
  if (css) return { kind: 'literal', type: 'COLOR', text: css(components.map(String), a) };
  // Spaces the sheet does not read (srgb-linear, a98-rgb, prophoto-rgb, rec2020, xyz-d50, xyz-d65): to sRGB through culori.
  const parsed = parse(`color(${v.colorSpace} ${components.join(' ')}${a})`);
  const rgb = parsed && toRgb(parsed);
  if (!rgb) return { kind: 'left-out', what: `colour space ${v.colorSpace}` };
  const clamp = (c: number) => Math.min(1, Math.max(0, c));
  const text = `#${[rgb.r, rgb.g, rgb.b].map((c) => hex2(clamp(c))).join('')}${alpha === 1 ? '' : hex2(clamp(alpha))}`;
  return { kind: 'literal', type: 'COLOR', text, converted: `colour space ${v.colorSpace} → sRGB hex` };
}
