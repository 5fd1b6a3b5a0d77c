import { checkScopes, checkVariableName, FIGMA_LIMITS, SCOPES_BY_TYPE, splitScopes } from '../../../shared/sheet/figma-rules';

describe("Figma's naming rules", () => {
  test('a plain name passes unchanged', () => {
    expect(checkVariableName('primary')).toEqual({ ok: true, name: 'primary' });
  });

  test('a grouped name passes with each group trimmed', () => {
    expect(checkVariableName('color / brand /primary')).toEqual({ ok: true, name: 'color/brand/primary' });
  });

  test('a "." is refused', () => {
    expect(checkVariableName('color.brand')).toEqual({
      ok: false,
      code: 'NAME_FORBIDDEN_CHARACTER',
      message: 'contains "."; Figma does not allow ".", "{" or "}" in variable names. Use "/" for groups and "-" or "_" within a name, e.g. "spacing/1-5"',
    });
  });

  test('a "{" is refused', () => {
    expect(checkVariableName('color/{brand')).toEqual({
      ok: false,
      code: 'NAME_FORBIDDEN_CHARACTER',
      message: 'contains "{"; Figma does not allow ".", "{" or "}" in variable names. Use "/" for groups and "-" or "_" within a name, e.g. "spacing/1-5"',
    });
  });

  test('a "}" is refused', () => {
    expect(checkVariableName('color/brand}')).toEqual({
      ok: false,
      code: 'NAME_FORBIDDEN_CHARACTER',
      message: 'contains "}"; Figma does not allow ".", "{" or "}" in variable names. Use "/" for groups and "-" or "_" within a name, e.g. "spacing/1-5"',
    });
  });

  test('an empty group ("//") is refused', () => {
    expect(checkVariableName('color//primary')).toEqual({
      ok: false,
      code: 'NAME_EMPTY_SEGMENT',
      message: 'has an empty group ("//"); every group between slashes needs a name, e.g. "color/brand/primary"',
    });
  });

  test('a leading "/" is refused', () => {
    expect(checkVariableName('/color')).toEqual({
      ok: false,
      code: 'NAME_EMPTY_SEGMENT',
      message: 'starts with "/"; every group between slashes needs a name, e.g. "color/brand/primary"',
    });
  });

  test('a trailing "/" is refused', () => {
    expect(checkVariableName('color/')).toEqual({
      ok: false,
      code: 'NAME_EMPTY_SEGMENT',
      message: 'ends with "/"; every group between slashes needs a name, e.g. "color/brand/primary"',
    });
  });

  test('a group of only spaces is refused', () => {
    expect(checkVariableName('color/ /primary')).toEqual({
      ok: false,
      code: 'NAME_EMPTY_SEGMENT',
      message: 'has an empty group ("//"); every group between slashes needs a name, e.g. "color/brand/primary"',
    });
  });
});

describe("Figma's limits", () => {
  test('are 5,000 variables and 40 modes per collection and 40-character mode names', () => {
    expect(FIGMA_LIMITS).toEqual({ maxVariablesPerCollection: 5000, maxModesPerCollection: 40, maxModeNameChars: 40 });
  });
});

describe('scopes', () => {
  test('a Scopes cell splits on commas into upper-case names without repeats', () => {
    expect(splitScopes(' frame_fill, SHAPE_FILL,,frame_fill , corner radius')).toEqual(['FRAME_FILL', 'SHAPE_FILL', 'CORNER_RADIUS']);
  });

  test('an empty list leaves Figma its default', () => {
    expect(checkScopes([], 'COLOR')).toEqual({ ok: true, scopes: undefined });
  });

  test('every scope listed for a type is accepted for it', () => {
    for (const [type, scopes] of Object.entries(SCOPES_BY_TYPE) as [keyof typeof SCOPES_BY_TYPE, string[]][]) {
      for (const scope of scopes) expect(checkScopes([scope], type)).toEqual({ ok: true, scopes: [scope] });
    }
  });

  test('an unknown scope is refused with the valid ones for the type', () => {
    expect(checkScopes(['BACKGROUND'], 'STRING')).toEqual({
      ok: false,
      code: 'SCOPE_UNKNOWN',
      message: '"BACKGROUND" is not a Figma scope; for string variables use: ALL_SCOPES, TEXT_CONTENT, FONT_FAMILY, FONT_STYLE',
    });
  });

  test('a colour scope on a number is refused', () => {
    expect(checkScopes(['TEXT_FILL'], 'FLOAT')).toEqual({
      ok: false,
      code: 'SCOPE_NOT_FOR_TYPE',
      message:
        'TEXT_FILL does not apply to number variables; for number variables use: ALL_SCOPES, TEXT_CONTENT, CORNER_RADIUS, WIDTH_HEIGHT, GAP, OPACITY, STROKE_FLOAT, EFFECT_FLOAT, FONT_WEIGHT, FONT_SIZE, LINE_HEIGHT, LETTER_SPACING, PARAGRAPH_SPACING, PARAGRAPH_INDENT, COLOR_OPACITY',
    });
  });

  test('a number scope on a colour is refused', () => {
    expect(checkScopes(['GAP'], 'COLOR')).toEqual({
      ok: false,
      code: 'SCOPE_NOT_FOR_TYPE',
      message: 'GAP does not apply to color variables; for color variables use: ALL_SCOPES, ALL_FILLS, FRAME_FILL, SHAPE_FILL, TEXT_FILL, STROKE_COLOR, EFFECT_COLOR',
    });
  });

  test('any scope on a boolean is refused', () => {
    expect(checkScopes(['ALL_SCOPES'], 'BOOLEAN')).toEqual({
      ok: false,
      code: 'SCOPE_NOT_FOR_TYPE',
      message: 'Figma has no scopes for boolean variables; leave Scopes empty on this row',
    });
  });

  test('ALL_SCOPES with another scope is refused', () => {
    expect(checkScopes(['ALL_SCOPES', 'GAP'], 'FLOAT')).toEqual({
      ok: false,
      code: 'SCOPE_CONFLICT',
      message: 'ALL_SCOPES cannot be combined with other scopes; use ALL_SCOPES alone or list only the specific scopes',
    });
  });

  test('ALL_FILLS with a specific fill is refused', () => {
    expect(checkScopes(['ALL_FILLS', 'FRAME_FILL'], 'COLOR')).toEqual({
      ok: false,
      code: 'SCOPE_CONFLICT',
      message: 'ALL_FILLS already includes FRAME_FILL, SHAPE_FILL and TEXT_FILL; use ALL_FILLS alone or list the specific fills',
    });
  });

  test('ALL_FILLS with a stroke is accepted', () => {
    expect(checkScopes(['ALL_FILLS', 'STROKE_COLOR'], 'COLOR')).toEqual({ ok: true, scopes: ['ALL_FILLS', 'STROKE_COLOR'] });
  });
});
