// Figma's rules for variables (names, limits, scopes), checked while mapping so the plugin never
// meets them as refusals from figma.variables.

import type { VariableType } from './model';

export const FIGMA_LIMITS = {
  /** Figma allows at most 5,000 variables in one collection. */
  maxVariablesPerCollection: 5000,
  /** Figma allows at most 40 modes in one collection (a plan may allow fewer; Figma then refuses). */
  maxModesPerCollection: 40,
  /** Figma allows mode names of at most 40 characters. */
  maxModeNameChars: 40,
} as const;

/** Characters Figma refuses in a variable name. */
export const FORBIDDEN_NAME_CHARACTERS = ['.', '{', '}'] as const;

const SLASH = 47;
const SPACE_BY_SLASH_RE = /\s\/|\/\s/;

export type NameCheck =
  | { ok: true; name: string }
  | { ok: false; code: 'NAME_EMPTY_SEGMENT' | 'NAME_FORBIDDEN_CHARACTER'; message: string };

/**
 * Checks a variable name (already trimmed, non-empty) and returns it with each `/` group trimmed,
 * as Figma shows groups without surrounding spaces. `color / brand` becomes `color/brand`.
 */
export function checkVariableName(raw: string): NameCheck {
  for (const ch of FORBIDDEN_NAME_CHARACTERS) {
    if (raw.includes(ch)) {
      return {
        ok: false,
        code: 'NAME_FORBIDDEN_CHARACTER',
        message: `contains "${ch}"; Figma does not allow ".", "{" or "}" in variable names. Use "/" for groups and "-" or "_" within a name, e.g. "spacing/1-5"`,
      };
    }
  }
  // Most names need no change: skip the split and join unless a group could be empty or padded.
  if (!raw.includes('/')) return { ok: true, name: raw };
  if (raw.charCodeAt(0) !== SLASH && raw.charCodeAt(raw.length - 1) !== SLASH && !raw.includes('//') && !SPACE_BY_SLASH_RE.test(raw)) {
    return { ok: true, name: raw };
  }
  const segments = raw.split('/');
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!.trim();
    if (segment === '') {
      const where = i === 0 ? 'starts with "/"' : i === segments.length - 1 ? 'ends with "/"' : 'has an empty group ("//")';
      return {
        ok: false,
        code: 'NAME_EMPTY_SEGMENT',
        message: `${where}; every group between slashes needs a name, e.g. "color/brand/primary"`,
      };
    }
    segments[i] = segment;
  }
  return { ok: true, name: segments.join('/') };
}

/** Figma's VariableScope names the sync accepts, per variable type (BOOLEAN has no scopes). */
export const SCOPES_BY_TYPE: Readonly<Record<VariableType, readonly string[]>> = {
  COLOR: ['ALL_SCOPES', 'ALL_FILLS', 'FRAME_FILL', 'SHAPE_FILL', 'TEXT_FILL', 'STROKE_COLOR', 'EFFECT_COLOR'],
  FLOAT: [
    'ALL_SCOPES',
    'TEXT_CONTENT',
    'CORNER_RADIUS',
    'WIDTH_HEIGHT',
    'GAP',
    'OPACITY',
    'STROKE_FLOAT',
    'EFFECT_FLOAT',
    'FONT_WEIGHT',
    'FONT_SIZE',
    'LINE_HEIGHT',
    'LETTER_SPACING',
    'PARAGRAPH_SPACING',
    'PARAGRAPH_INDENT',
    'COLOR_OPACITY',
  ],
  STRING: ['ALL_SCOPES', 'TEXT_CONTENT', 'FONT_FAMILY', 'FONT_STYLE'],
  BOOLEAN: [],
};

/** Every scope name the sync knows (the union of the lists above). */
export const ALL_SCOPE_NAMES: ReadonlySet<string> = new Set(Object.values(SCOPES_BY_TYPE).flat());

const FILL_SCOPES: ReadonlySet<string> = new Set(['FRAME_FILL', 'SHAPE_FILL', 'TEXT_FILL']);

export type ScopesCheck =
  | { ok: true; scopes: string[] | undefined }
  | { ok: false; code: 'SCOPE_UNKNOWN' | 'SCOPE_NOT_FOR_TYPE' | 'SCOPE_CONFLICT'; message: string };

/** Splits a Scopes cell ("FRAME_FILL, SHAPE_FILL") into upper-case names, dropping empties and repeats. */
export function splitScopes(cell: string): string[] {
  const out: string[] = [];
  for (const part of cell.split(',')) {
    const scope = part.trim().toUpperCase().replace(/[\s-]+/g, '_');
    if (scope !== '' && !out.includes(scope)) out.push(scope);
  }
  return out;
}

/** Checks scope names against a variable type; an empty list leaves Figma's default (undefined). */
export function checkScopes(scopes: readonly string[], type: VariableType): ScopesCheck {
  if (scopes.length === 0) return { ok: true, scopes: undefined };
  const valid = SCOPES_BY_TYPE[type];
  for (const scope of scopes) {
    if (!ALL_SCOPE_NAMES.has(scope)) {
      return {
        ok: false,
        code: 'SCOPE_UNKNOWN',
        message: `"${scope.length > 40 ? `${scope.slice(0, 39)}…` : scope}" is not a Figma scope; ${validScopesText(type)}`,
      };
    }
    if (!valid.includes(scope)) {
      return {
        ok: false,
        code: 'SCOPE_NOT_FOR_TYPE',
        message:
          type === 'BOOLEAN'
            ? `Figma has no scopes for boolean variables; leave Scopes empty on this row`
            : `${scope} does not apply to ${typeWord(type)} variables; ${validScopesText(type)}`,
      };
    }
  }
  if (scopes.includes('ALL_SCOPES') && scopes.length > 1) {
    return { ok: false, code: 'SCOPE_CONFLICT', message: 'ALL_SCOPES cannot be combined with other scopes; use ALL_SCOPES alone or list only the specific scopes' };
  }
  if (scopes.includes('ALL_FILLS') && scopes.some((s) => FILL_SCOPES.has(s))) {
    return { ok: false, code: 'SCOPE_CONFLICT', message: 'ALL_FILLS already includes FRAME_FILL, SHAPE_FILL and TEXT_FILL; use ALL_FILLS alone or list the specific fills' };
  }
  return { ok: true, scopes: [...scopes] };
}

function validScopesText(type: VariableType): string {
  const valid = SCOPES_BY_TYPE[type];
  return valid.length === 0 ? 'boolean variables take no scopes' : `for ${typeWord(type)} variables use: ${valid.join(', ')}`;
}

/** The word a spreadsheet owner writes in the Type column for each Figma type. */
export function typeWord(type: VariableType): string {
  switch (type) {
    case 'COLOR':
      return 'color';
    case 'FLOAT':
      return 'number';
    case 'STRING':
      return 'string';
    case 'BOOLEAN':
      return 'boolean';
  }
}

const KNOWN_TYPES: ReadonlySet<string> = new Set<VariableType>(['COLOR', 'FLOAT', 'STRING', 'BOOLEAN']);

/** Whether this sync handles a Figma resolvedType (it leaves EASING, TIMING and later ones alone). */
export function isKnownType(resolvedType: string): resolvedType is VariableType {
  return KNOWN_TYPES.has(resolvedType);
}
