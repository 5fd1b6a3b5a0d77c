// One collection as a DTCG 2025.10 token tree for one of its modes: a top-level group named after
// the collection, groups from the "/" in names, one token per variable. Every token also carries,
// under $extensions[EXTENSION_KEY], what Figma knows and DTCG does not: its collection and variable
// name, Figma type, scopes, code syntax, hidden flag and (where the file holds one mode of several
// without sibling files for the others) the value of every mode.

import type { CodeSyntax, MappedCollection, MappedVariable } from '../model';
import { dtcgLiteral, dtcgTypeOf, isAlias, type DtcgLiteral, type DtcgType } from './dtcg-value';
import { EXTENSION_KEY, type TokenNames } from './token-names';
import type { TokenProblemLog } from './token-problems';

/** What a token's $extensions[EXTENSION_KEY] holds (docs/tokens.md describes each field). */
export interface TokenExtension {
  collection: string;
  variable: string;
  type: MappedVariable['type'];
  hidden: boolean;
  scopes?: string[];
  codeSyntax?: CodeSyntax;
  /**
   * Every mode's value in DTCG form (references as "{a.b}"), in the collection's mode order. In the
   * single layout only: in the resolver layout each mode's file holds that mode's value.
   */
  modes?: Record<string, DtcgLiteral>;
}

/** What the collection's top-level group's $extensions[EXTENSION_KEY] holds. */
export interface CollectionExtension {
  collection: string;
  /** The collection's modes; the first is the default mode. */
  modes: string[];
  /** The mode whose values are this file's $value. */
  mode: string;
}

export interface DtcgToken {
  $type?: DtcgType;
  $value: DtcgLiteral;
  $description?: string;
  $extensions: Record<string, TokenExtension>;
}

export type DtcgGroup = { [key: string]: DtcgGroup | DtcgToken | Record<string, unknown> };

/**
 * The token document of a collection whose $value is `mode`'s value. A token whose value is a
 * reference has no $type: DTCG takes the type of the token it references (Format 2025.10, "Type").
 */
export function collectionTokens(collection: MappedCollection, mode: string, names: TokenNames, log: TokenProblemLog, withModes: boolean): DtcgGroup {
  const top = names.top(collection.name);
  if (top === undefined) return {};
  const modes = collection.modes.map((m) => m.name);
  const group: DtcgGroup = { $extensions: { [EXTENSION_KEY]: { collection: collection.name, modes, mode } satisfies CollectionExtension } };
  const root: DtcgGroup = { [top]: group };
  for (const variable of collection.variables) {
    const path = names.path(collection.name, variable.name);
    if (!path) continue;
    const token = variableToken(collection, variable, mode, names, log, withModes);
    if (token) place(root, path, token);
  }
  return root;
}

function variableToken(collection: MappedCollection, variable: MappedVariable, mode: string, names: TokenNames, log: TokenProblemLog, withModes: boolean): DtcgToken | undefined {
  const type = dtcgTypeOf(variable);
  const values: Record<string, DtcgLiteral> = {};
  for (const m of collection.modes) {
    const value = variable.valuesByMode[m.name]!;
    if (isAlias(value)) {
      const reference = names.reference(value.alias.collection, value.alias.name);
      if (reference === undefined) {
        log.add(collection, variable, 'TOKEN_ALIAS_LEFT_OUT', `${JSON.stringify(variable.name)} points at ${value.alias.collection}::${value.alias.name}, which is left out of the token files, so it is left out too`);
        return undefined;
      }
      values[m.name] = reference;
    } else values[m.name] = dtcgLiteral(value, type);
  }
  const own = variable.valuesByMode[mode];
  const extension: TokenExtension = { collection: collection.name, variable: variable.name, type: variable.type, hidden: variable.hidden };
  if (variable.scopes !== undefined) extension.scopes = variable.scopes;
  if (Object.keys(variable.codeSyntax).length > 0) extension.codeSyntax = variable.codeSyntax;
  if (withModes) extension.modes = values;
  const token: Partial<DtcgToken> = own !== undefined && isAlias(own) ? {} : { $type: type };
  token.$value = values[mode]!;
  if (variable.description !== '') token.$description = variable.description;
  token.$extensions = { [EXTENSION_KEY]: extension };
  return token as DtcgToken;
}

/** Puts a token at a path, creating groups on the way (own properties only, so "__proto__" is a plain key). */
function place(root: DtcgGroup, path: readonly string[], token: DtcgToken): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    let next = Object.prototype.hasOwnProperty.call(node, key) ? (node[key] as DtcgGroup) : undefined;
    if (!next) {
      next = {};
      Object.defineProperty(node, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
    node = next;
  }
  Object.defineProperty(node, path[path.length - 1]!, { value: token, enumerable: true, writable: true, configurable: true });
}
