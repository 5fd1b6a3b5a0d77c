import { parse } from 'culori';
import { parseColor } from '../../shared/sheet/color';
import { convertValue } from '../../tools/token-cells';
import type { SourceToken } from '../../tools/token-sources';

const token = (type: string | undefined, legacy = false): SourceToken => ({ path: ['t'], value: undefined, type, description: '', legacy, modifier: false, file: 'f.json' });
const color = (components: number[], alpha = 1, colorSpace = 'srgb') => convertValue(token('color'), { colorSpace, components, alpha });

describe('colours are written so the sheet reads back exactly the same channels', () => {
  test('whole 8-bit channels as hex, with an alpha byte when the alpha is one', () => {
    expect(color([1, 85 / 255, 0])).toEqual({ kind: 'literal', type: 'COLOR', text: '#ff5500' });
    expect(color([1, 85 / 255, 0], 153 / 255)).toEqual({ kind: 'literal', type: 'COLOR', text: '#ff550099' });
  });

  test('an alpha between bytes as rgb() with the alpha as it is', () => {
    expect(color([1, 85 / 255, 0], 0.5)).toEqual({ kind: 'literal', type: 'COLOR', text: 'rgb(255 85 0 / 0.5)' });
    expect(parseColor('rgb(255 85 0 / 0.5)')!.rgba).toEqual({ r: 1, g: 85 / 255, b: 0, a: 0.5 });
  });

  test('other channels as color(srgb …) with every digit, read back to the same numbers', () => {
    const components = [0.41866666666666674, 0.4481960784313726, 0.5013333333333334];
    const cell = color(components);
    expect(cell).toEqual({ kind: 'literal', type: 'COLOR', text: `color(srgb ${components.join(' ')})` });
    const back = parseColor((cell as { text: string }).text)!.rgba;
    expect([back.r, back.g, back.b]).toEqual(components);
  });

  test('a colour space the sheet reads is written in its CSS syntax; others are converted to sRGB and said so', () => {
    expect(color([0.6, 0.2, 269], 1, 'oklch')).toEqual({ kind: 'literal', type: 'COLOR', text: 'oklch(0.6 0.2 269)' });
    expect(color([220, 50, 40], 0.5, 'hsl')).toEqual({ kind: 'literal', type: 'COLOR', text: 'hsl(220 50% 40% / 0.5)' });
    const rec2020 = color([0.5, 0.5, 0.5], 1, 'rec2020');
    expect(rec2020).toMatchObject({ kind: 'literal', type: 'COLOR', converted: 'colour space rec2020 → sRGB hex' });
    expect(parse((rec2020 as { text: string }).text)).toBeTruthy();
  });
});

describe('other values', () => {
  test('numbers, px and rem dimensions, and the legacy string forms', () => {
    expect(convertValue(token('dimension'), { value: 0.25, unit: 'rem' })).toEqual({ kind: 'literal', type: 'FLOAT', text: '4px', converted: 'rem → px at 16 px per rem' });
    expect(convertValue(token('number'), 1.5)).toEqual({ kind: 'literal', type: 'FLOAT', text: '1.5' });
    expect(convertValue(token('spacing', true), '12px')).toEqual({ kind: 'literal', type: 'FLOAT', text: '12px' });
    expect(convertValue(token('lineHeights', true), '150%')).toEqual({ kind: 'left-out', what: 'lineHeights in %' });
  });

  test('a whole-value reference is a reference; one inside an expression is left out', () => {
    expect(convertValue(token('color'), '{color.blue}')).toEqual({ kind: 'reference', path: 'color.blue' });
    expect(convertValue(token('sizing', true), '{space.md} * 2')).toEqual({ kind: 'left-out', what: 'expression with references (math or a colour function)' });
  });

  test('types a Figma variable cannot hold are left out by name', () => {
    for (const type of ['typography', 'shadow', 'border', 'transition', 'gradient', 'cubicBezier', 'duration']) expect(convertValue(token(type), {})).toEqual({ kind: 'left-out', what: type });
  });
});
