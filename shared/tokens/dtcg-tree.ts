// One collection as a DTCG 2025.10 token tree for one of its modes: a top-level group named after
// the collection (its $extensions name the collection and its modes), groups from the "/" in names,
// one token per variable. Every token also carries, under $extensions[EXTENSION_KEY], what Figma
// knows and DTCG does not: its variable name, Figma type, scopes, code syntax, hidden flag and, in
// the single layout, the value of every mode.

import type { CodeSyntax, MappedCollection, MappedVariable } from '../sheet/model';
import { dtcgLiteral, dtcgTypeOf, isAlias, type DtcgLiteral, type DtcgType } from './dtcg-value';
import { EXTENSION_KEY, type TokenNames } from './token-names';
import type { TokenProblemLog } from './token-problems';

/** What a token's $extensions[EXTENSION_KEY] holds (docs/tokens.md describes each field). */
export interface TokenExtension {
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

/** A variable converted once, for the files of all its modes. */
interface Prepared {
  path: string[];
  type: DtcgType;
  /** Per mode, in mode order. */
  values: DtcgLiteral[];
  isAlias: boolean[];
  description: string;
  extension: TokenExtension;
  /** The extension with `modes`, made when the single layout asks for it. */
  withModes?: TokenExtension;
}

/**
 * One collection as token documents, one per mode. Each variable is converted once; the documents of
 * its modes share the converted parts. A token whose value is a reference has no $type: DTCG takes
 * the type of the token it references (Format 2025.10, "Type").
 */
export class CollectionTokens {
  private readonly prepared: Prepared[] = [];
  private readonly top: string | undefined;

  constructor(
    private readonly collection: MappedCollection,
    names: TokenNames,
    log: TokenProblemLog,
  ) {
    this.top = names.top(collection.name);
    if (this.top === undefined) return;
    const modes = collection.modes;
    for (const variable of collection.variables) {
      const path = names.path(collection.name, variable.name);
      if (!path) continue;
      const type = dtcgTypeOf(variable);
      const values: DtcgLiteral[] = [];
      const aliases: boolean[] = [];
      let ok = true;
      for (const m of modes) {
        const value = variable.valuesByMode[m.name]!;
        if (isAlias(value)) {
          const reference = names.reference(value.alias.collection, value.alias.name);
          if (reference === undefined) {
            log.add(collection, variable, 'TOKEN_ALIAS_LEFT_OUT', `${JSON.stringify(variable.name)} points at ${value.alias.collection}::${value.alias.name}, which is left out of the token files, so it is left out too`);
            ok = false;
            break;
          }
          values.push(reference);
          aliases.push(true);
        } else {
          values.push(dtcgLiteral(value, type));
          aliases.push(false);
        }
      }
      if (!ok) continue;
      const extension: TokenExtension = { variable: variable.name, type: variable.type, hidden: variable.hidden };
      if (variable.scopes !== undefined) extension.scopes = variable.scopes;
      if (variable.codeSyntax.WEB !== undefined || variable.codeSyntax.ANDROID !== undefined || variable.codeSyntax.iOS !== undefined) extension.codeSyntax = variable.codeSyntax;
      this.prepared.push({ path, type, values, isAlias: aliases, description: variable.description, extension });
    }
  }

  /** The document whose $value is `mode`'s value; `withModes` puts every mode's value in $extensions too (single layout). */
  tree(mode: string, withModes: boolean): DtcgGroup {
    if (this.top === undefined) return {};
    const modeNames = this.collection.modes.map((m) => m.name);
    const index = Math.max(0, modeNames.indexOf(mode));
    const group: DtcgGroup = { $extensions: { [EXTENSION_KEY]: { collection: this.collection.name, modes: modeNames, mode: modeNames[index]! } satisfies CollectionExtension } };
    const root: DtcgGroup = {};
    setKey(root, this.top, group);
    for (const p of this.prepared) {
      const token: Partial<DtcgToken> = p.isAlias[index] ? {} : { $type: p.type };
      token.$value = p.values[index]!;
      if (p.description !== '') token.$description = p.description;
      let extension = p.extension;
      if (withModes) {
        if (!p.withModes) {
          const all: Record<string, DtcgLiteral> = {};
          modeNames.forEach((m, i) => setKey(all, m, p.values[i]!));
          p.withModes = { ...p.extension, modes: all };
        }
        extension = p.withModes;
      }
      token.$extensions = { [EXTENSION_KEY]: extension };
      place(root, p.path, token as DtcgToken);
    }
    return root;
  }
}

/** Sets a key even when it is "__proto__" (plain assignment would replace the prototype). */
function setKey(record: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
  else record[key] = value;
}

/** Puts a token at a path, creating groups on the way. */
function place(root: DtcgGroup, path: readonly string[], token: DtcgToken): void {
  let node = root;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    let next = Object.prototype.hasOwnProperty.call(node, key) ? (node[key] as DtcgGroup) : undefined;
    if (!next) {
      next = {};
      setKey(node, key, next);
    }
    node = next;
  }
  setKey(node, path[path.length - 1]!, token);
}
