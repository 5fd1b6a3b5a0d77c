import fc from 'fast-check';
import { parseHex } from 'culori/fn';
import { formatHex, parseColor, readColor, readHex } from '../../../shared/sheet/color';

const third = expect.closeTo(85 / 255, 12);

describe('parseColor reads every colour syntax of the sheet format', () => {
  test('#rgb expands each digit', () => {
    expect(parseColor('#05f')).toEqual({ rgba: { r: 0, g: third, b: 1, a: 1 }, clamped: false });
  });

  test('#rgba keeps the alpha digit', () => {
    expect(parseColor('#05f8')).toEqual({ rgba: { r: 0, g: third, b: 1, a: 0x88 / 255 }, clamped: false });
  });

  test('#rrggbb gives channels in 0..1', () => {
    expect(parseColor('#0055ff')).toEqual({ rgba: { r: 0, g: 85 / 255, b: 1, a: 1 }, clamped: false });
  });

  test('#rrggbbaa keeps the alpha', () => {
    expect(parseColor('#0055ff80')).toEqual({ rgba: { r: 0, g: 85 / 255, b: 1, a: 128 / 255 }, clamped: false });
  });

  test('upper-case hex and surrounding spaces are accepted', () => {
    expect(parseColor('  #0055FF ')).toEqual({ rgba: { r: 0, g: 85 / 255, b: 1, a: 1 }, clamped: false });
  });

  test('rgb() with commas (legacy syntax)', () => {
    expect(parseColor('rgb(0, 85, 255)')).toEqual({ rgba: { r: 0, g: 85 / 255, b: 1, a: 1 }, clamped: false });
  });

  test('rgb() with spaces (modern syntax)', () => {
    expect(parseColor('rgb(0 85 255)')).toEqual({ rgba: { r: 0, g: 85 / 255, b: 1, a: 1 }, clamped: false });
  });

  test('rgb() with a slash alpha in percent', () => {
    expect(parseColor('rgb(0 85 255 / 50%)')).toEqual({ rgba: { r: 0, g: 85 / 255, b: 1, a: 0.5 }, clamped: false });
  });

  test('rgb() with percentages for channels', () => {
    expect(parseColor('rgb(100% 0% 50%)')).toEqual({ rgba: { r: 1, g: 0, b: 0.5, a: 1 }, clamped: false });
  });

  test('rgba() with commas keeps the alpha', () => {
    expect(parseColor('rgba(17, 24, 39, 0.6)')).toEqual({ rgba: { r: 17 / 255, g: 24 / 255, b: 39 / 255, a: 0.6 }, clamped: false });
  });

  test('function names in upper case are accepted', () => {
    expect(parseColor('RGBA(17, 24, 39, 0.6)')).toEqual({ rgba: { r: 17 / 255, g: 24 / 255, b: 39 / 255, a: 0.6 }, clamped: false });
  });

  test('hsl() with commas (legacy syntax)', () => {
    expect(parseColor('hsl(220, 100%, 50%)')).toEqual({ rgba: { r: 0, g: third, b: 1, a: 1 }, clamped: false });
  });

  test('hsl() with spaces and a deg unit (modern syntax)', () => {
    expect(parseColor('hsl(220deg 100% 50%)')).toEqual({ rgba: { r: 0, g: third, b: 1, a: 1 }, clamped: false });
  });

  test('hsla() keeps the alpha', () => {
    expect(parseColor('hsla(220, 100%, 50%, 0.25)')).toEqual({ rgba: { r: 0, g: third, b: 1, a: 0.25 }, clamped: false });
  });

  test('hsl() with a slash alpha', () => {
    expect(parseColor('hsl(0 0% 100% / 0.5)')).toEqual({ rgba: { r: 1, g: 1, b: 1, a: 0.5 }, clamped: false });
  });

  test('hwb() is read', () => {
    expect(parseColor('hwb(0 0% 0%)')).toEqual({ rgba: { r: 1, g: 0, b: 0, a: 1 }, clamped: false });
  });

  test('oklch() inside sRGB is read without clamping', () => {
    const white = parseColor('oklch(1 0 0)');
    expect(white).toEqual({ rgba: { r: expect.closeTo(1, 6), g: expect.closeTo(1, 6), b: expect.closeTo(1, 6), a: 1 }, clamped: false });
  });

  test('lab() is read', () => {
    expect(parseColor('lab(0 0 0)')).toEqual({ rgba: { r: 0, g: 0, b: 0, a: 1 }, clamped: false });
  });
});

describe('colours outside sRGB are clamped and flagged', () => {
  test('rgb(300 0 0) clamps red to 1', () => {
    expect(parseColor('rgb(300 0 0)')).toEqual({ rgba: { r: 1, g: 0, b: 0, a: 1 }, clamped: true });
  });

  test('a vivid oklch() clamps every channel into 0..1', () => {
    const color = parseColor('oklch(0.7 0.4 30)')!;
    expect(color.clamped).toBe(true);
    for (const v of Object.values(color.rgba)) expect(v >= 0 && v <= 1).toBe(true);
  });
});

describe('readColor tells colours, near-misses and other text apart', () => {
  test('five hex digits are a malformed colour', () => {
    expect(readColor('#12345')).toEqual({ kind: 'malformed' });
  });

  test('seven hex digits are a malformed colour', () => {
    expect(readColor('#1234567')).toEqual({ kind: 'malformed' });
  });

  test('rgb() with two channels is a malformed colour', () => {
    expect(readColor('rgb(1, 2)')).toEqual({ kind: 'malformed' });
  });

  test('hsl() with words inside is a malformed colour', () => {
    expect(readColor('hsl(blue)')).toEqual({ kind: 'malformed' });
  });

  test('a hashtag is not a colour', () => {
    expect(readColor('#launch')).toEqual({ kind: 'not-color' });
  });

  test('"#1" is not a colour', () => {
    expect(readColor('#1')).toEqual({ kind: 'not-color' });
  });

  test('a colour name is not a colour unless names are allowed', () => {
    expect(readColor('red')).toEqual({ kind: 'not-color' });
    expect(readColor('red', true)).toEqual({ kind: 'color', color: { rgba: { r: 1, g: 0, b: 0, a: 1 }, clamped: false } });
  });

  test('an unknown word is not a colour even when names are allowed', () => {
    expect(readColor('blurple', true)).toEqual({ kind: 'not-color' });
  });
});

describe('formatHex', () => {
  test('an opaque colour prints as #rrggbb', () => {
    expect(formatHex({ r: 0, g: 85 / 255, b: 1, a: 1 })).toBe('#0055ff');
  });

  test('a translucent colour prints as #rrggbbaa', () => {
    expect(formatHex({ r: 1, g: 1, b: 1, a: 0.5 })).toBe('#ffffff80');
  });

  test('hex text survives a parse and format round trip', () => {
    for (const hex of ['#000000', '#ffffff', '#3b82f6', '#3b82f633']) expect(formatHex(parseColor(hex)!.rgba)).toBe(hex);
  });
});

describe('readHex', () => {
  test('gives exactly what culori’s parseHex gives, for random colours of every hex length', () => {
    fc.assert(
      fc.property(fc.constantFrom(3, 4, 6, 8), fc.array(fc.constantFrom(...'0123456789abcdefABCDEF'), { minLength: 8, maxLength: 8 }), (length, digits) => {
        const text = `#${digits.slice(0, length).join('')}`;
        const culori = parseHex(text)!;
        expect(readHex(text)).toEqual({ r: culori.r, g: culori.g, b: culori.b, a: culori.alpha ?? 1 });
      }),
      { numRuns: 500 },
    );
  });

  test('refuses other lengths and non-hex digits', () => {
    expect(['#', '#12', '#12345', '#1234567', '#123456789', '#ggg', '#12345g', '123456'].map(readHex)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('color() in sRGB and Display P3 reads like oklch()', () => {
  test('color(srgb …) takes channels in 0..1 and a slash alpha', () => {
    expect(parseColor('color(srgb 0.2 0.4 0.6 / 50%)')).toEqual({ rgba: { r: 0.2, g: 0.4, b: 0.6, a: 0.5 }, clamped: false });
  });

  test('a Display P3 grey is the same grey in sRGB', () => {
    const grey = parseColor('color(display-p3 0.5 0.5 0.5)')!;
    expect(grey.clamped).toBe(false);
    for (const channel of [grey.rgba.r, grey.rgba.g, grey.rgba.b]) expect(channel).toBeCloseTo(0.5, 6);
  });

  test('a P3 red outside sRGB is clamped with the flag set', () => {
    const red = parseColor('color(display-p3 1 0 0)')!;
    expect(red).toEqual({ rgba: { r: 1, g: 0, b: 0, a: 1 }, clamped: true });
  });

  test('color(display-p3) with two channels is malformed', () => {
    expect(readColor('color(display-p3 1 0)')).toEqual({ kind: 'malformed' });
  });
});

describe('colours the sync cannot read say why', () => {
  test('another color() space names the space and the two it reads', () => {
    expect(readColor('color(rec2020 1 0 0)')).toEqual({ kind: 'unsupported', why: 'its colour space rec2020 is not one the sync converts (it reads color(srgb …) and color(display-p3 …)); convert the colour to oklch() or #rrggbb' });
  });

  test('color-mix(), light-dark() and relative colours are recognised as unreadable', () => {
    for (const text of ['color-mix(in oklch, red 40%, blue)', 'light-dark(#fff, #000)', 'rgb(from #f00 r g b / 50%)', 'color(from red srgb r g b)']) {
      expect(readColor(text).kind).toBe('unsupported');
    }
  });

  test('var() is an unreadable colour only in a row typed color', () => {
    expect(readColor('var(--brand)')).toEqual({ kind: 'not-color' });
    expect(readColor('var(--brand)', true).kind).toBe('unsupported');
  });
});

describe('the out-of-gamut flag needs half an 8-bit step', () => {
  test('an excursion below 0.5/255 is clamped silently', () => {
    expect(parseColor('color(srgb 1.0019 0.5 -0.0019)')).toEqual({ rgba: { r: 1, g: 0.5, b: 0, a: 1 }, clamped: false });
  });

  test('an excursion of 0.5/255 or more is flagged', () => {
    expect(parseColor('color(srgb 1.002 0.5 0.5)')!.clamped).toBe(true);
    expect(parseColor('color(srgb 0.5 0.5 -0.002)')!.clamped).toBe(true);
  });

  test("Tailwind v4's zinc-50 (3-decimal oklch, a hair outside sRGB) is not flagged", () => {
    expect(parseColor('oklch(0.985 0 0)')!.clamped).toBe(false);
    expect(parseColor('oklch(0.985 0.002 247.839)')!.clamped).toBe(false);
  });
});
