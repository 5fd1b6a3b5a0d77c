// Token files → the tokens of each tab and mode, before any value is converted: DTCG 2025.10 files
// (one tab per file, or per collection when the file carries this product's $extensions), a DTCG
// resolver document (a tab per set, a tab with modes per modifier), and Tokens Studio exports
// (legacy value/type, one tab per set, a tab with modes per $themes group).

import { basename, dirname, resolve as resolvePath } from 'node:path';
import { EXTENSION_KEY } from '../shared/tokens/token-names';
import type { CollectionExtension, TokenExtension } from '../shared/tokens/dtcg-tree';

/** One token as found in a file, with the $type it has or inherits from its groups. */
export interface SourceToken {
  /** The token's path in the merged token tree (what "{a.b.c}" references name). */
  path: string[];
  value: unknown;
  type: string | undefined;
  description: string;
  /** Tokens Studio's legacy `value`/`type` token. */
  legacy: boolean;
  /** This product's extension, when the file was exported by it. */
  extension?: TokenExtension;
  /** The mode the file's collection group says its $value is (this product's files only). */
  fileMode?: string;
  /** The collection's modes, default first, as the file's collection group lists them (this product's files only). */
  fileModes?: string[];
  /** The collection (tab) the file's collection group names (this product's files only). */
  fileCollection?: string;
  /** Tokens Studio's colour modifier, which a Figma variable cannot hold. */
  modifier: boolean;
  file: string;
}

/** The tokens that make one mode of one tab; later tokens of the same path win. */
export interface ModeSource {
  mode: string;
  tokens: SourceToken[];
}

export interface TabSource {
  tab: string;
  /** In order; the first is the default mode. */
  modes: ModeSource[];
}

/** A token file that cannot be used (exit 2): not JSON, or a resolver that points at nothing. */
export class TokenFileError extends Error {
  override readonly name = 'TokenFileError';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export type ReadFile = (file: string) => string;

export function readJson(file: string, read: ReadFile): unknown {
  const text = read(file);
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new TokenFileError(`${file} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** "tokens/Semantic.tokens.json" → "Semantic". */
export function fileTabName(file: string): string {
  return basename(file).replace(/\.tokens\.json$|\.tokens$|\.json$/i, '');
}

/** Walks a DTCG (or Tokens Studio) tree, collecting tokens with their inherited types. */
export function walkTokens(tree: unknown, file: string, prefix: string[] = []): SourceToken[] {
  const out: SourceToken[] = [];
  type Group = { mode?: string; modes?: string[]; collection?: string };
  const walk = (node: Json, path: string[], inherited: string | undefined, outer: Group): void => {
    const groupType = typeof node.$type === 'string' ? node.$type : inherited;
    const groupExt = isObject(node.$extensions) ? (node.$extensions[EXTENSION_KEY] as Partial<CollectionExtension> | undefined) : undefined;
    const group: Group = {
      mode: typeof groupExt?.mode === 'string' ? groupExt.mode : outer.mode,
      modes: Array.isArray(groupExt?.modes) && groupExt.modes.every((m) => typeof m === 'string') ? groupExt.modes : outer.modes,
      collection: typeof groupExt?.collection === 'string' ? groupExt.collection : outer.collection,
    };
    for (const key of Object.keys(node)) {
      if (key.startsWith('$') && key !== '$root') continue;
      const child = node[key];
      if (!isObject(child)) continue;
      const childPath = [...path, key];
      if ('$value' in child) out.push(token(child, childPath, groupType, false, group, file));
      else if ('value' in child && typeof child.type === 'string' && !hasChildGroups(child)) out.push(token(child, childPath, groupType, true, group, file));
      else walk(child, childPath, groupType, group);
    }
  };
  if (isObject(tree)) walk(tree, prefix, undefined, {});
  return out;
}

function hasChildGroups(node: Json): boolean {
  return Object.keys(node).some((k) => !['value', 'type', 'description', '$extensions'].includes(k) && isObject(node[k]));
}

function token(node: Json, path: string[], inherited: string | undefined, legacy: boolean, group: { mode?: string; modes?: string[]; collection?: string }, file: string): SourceToken {
  const type = legacy ? (node.type as string) : typeof node.$type === 'string' ? node.$type : inherited;
  const description = legacy ? node.description : node.$description;
  const extensions = isObject(node.$extensions) ? node.$extensions : {};
  const ours = isObject(extensions[EXTENSION_KEY]) ? (extensions[EXTENSION_KEY] as unknown as TokenExtension) : undefined;
  const studio = isObject(extensions['studio.tokens']) ? extensions['studio.tokens'] : undefined;
  const result: SourceToken = {
    path,
    value: legacy ? node.value : node.$value,
    type,
    description: typeof description === 'string' ? description : '',
    legacy,
    modifier: studio !== undefined && 'modify' in studio,
    file,
  };
  if (ours && typeof ours.variable === 'string' && (ours.modes === undefined || isObject(ours.modes))) result.extension = ours;
  if (group.mode !== undefined) result.fileMode = group.mode;
  if (group.modes !== undefined) result.fileModes = group.modes;
  if (group.collection !== undefined) result.fileCollection = group.collection;
  return result;
}

// ---------------------------------------------------------------------------------------------
// Classifying input files

export type TokenDocument =
  | { kind: 'resolver'; file: string; doc: Json }
  | { kind: 'studio'; file: string; sets: { name: string; tree: Json }[]; themes: Json[]; order: string[] }
  | { kind: 'dtcg'; file: string; tree: Json };

/** What a parsed JSON file is: a resolver document, a Tokens Studio export (or part of one), or DTCG tokens. */
export function classify(file: string, json: unknown): TokenDocument {
  if (Array.isArray(json) && basename(file).startsWith('$themes')) return { kind: 'studio', file, sets: [], themes: json.filter(isObject), order: [] };
  if (!isObject(json)) throw new TokenFileError(`${file} is not a token file: it holds ${Array.isArray(json) ? 'an array' : typeof json}, not an object of tokens`);
  if (Array.isArray(json.resolutionOrder) && typeof json.version === 'string') return { kind: 'resolver', file, doc: json };
  if (basename(file).startsWith('$metadata')) return { kind: 'studio', file, sets: [], themes: [], order: metadataOrder(json) };
  const studioKeys = Array.isArray(json.$themes) || isObject(json.$metadata);
  const tokens = walkTokens(json, file);
  if (studioKeys || (tokens.length > 0 && tokens.every((t) => t.legacy))) {
    const themes = Array.isArray(json.$themes) ? json.$themes.filter(isObject) : [];
    const order = isObject(json.$metadata) ? metadataOrder(json.$metadata) : [];
    // A whole-project export (with $themes or $metadata) has sets as top-level keys; a file without them is one set, named after the file.
    const sets = studioKeys ? Object.keys(json).filter((k) => !k.startsWith('$') && isObject(json[k])).map((name) => ({ name, tree: json[name] as Json })) : [{ name: fileTabName(file), tree: json }];
    return { kind: 'studio', file, sets, themes, order };
  }
  return { kind: 'dtcg', file, tree: json };
}

function metadataOrder(meta: Json): string[] {
  return Array.isArray(meta.tokenSetOrder) ? meta.tokenSetOrder.filter((s): s is string => typeof s === 'string') : [];
}

// ---------------------------------------------------------------------------------------------
// Resolver documents (Resolver Module 2025.10: sets, modifiers, resolutionOrder, $ref)

/** The tabs of a resolver document: each set a one-mode tab, each modifier a tab whose modes are its contexts. */
export function resolverTabs(file: string, doc: Json, read: ReadFile): TabSource[] {
  const base = dirname(file);
  const pointer = (ref: string): unknown => {
    let node: unknown = doc;
    for (const raw of ref.replace(/^#\/?/, '').split('/')) {
      const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
      node = isObject(node) ? node[key] : undefined;
    }
    if (node === undefined) throw new TokenFileError(`${file}: "${ref}" points at nothing in the resolver document`);
    return node;
  };
  const sourcesOf = (sources: unknown, where: string, seen: Set<string>): SourceToken[] => {
    if (!Array.isArray(sources)) throw new TokenFileError(`${file}: ${where} needs an array of sources`);
    const out: SourceToken[] = [];
    for (const source of sources) {
      if (isObject(source) && typeof source.$ref === 'string') {
        const ref = source.$ref;
        if (ref.startsWith('#')) {
          if (seen.has(ref)) throw new TokenFileError(`${file}: "${ref}" refers to itself`);
          const target = pointer(ref);
          const inner = isObject(target) && Array.isArray(target.sources) ? target.sources : [target];
          out.push(...sourcesOf(inner, ref, new Set([...seen, ref])));
        } else {
          const [path, fragment] = ref.split('#') as [string, string | undefined];
          const target = resolvePath(base, decodeURIComponent(path));
          let json = readJson(target, read);
          if (fragment) for (const key of fragment.replace(/^\//, '').split('/')) json = isObject(json) ? json[key] : undefined;
          out.push(...walkTokens(json, target));
        }
      } else if (isObject(source)) out.push(...walkTokens(source, file));
    }
    return out;
  };
  const tabs: TabSource[] = [];
  const order = doc.resolutionOrder as unknown[];
  for (let i = 0; i < order.length; i++) {
    let item = order[i];
    let name: string | undefined;
    if (isObject(item) && typeof item.$ref === 'string') {
      name = decodeURIComponent(item.$ref.split('/').pop() ?? '').replace(/~1/g, '/').replace(/~0/g, '~');
      const kind = item.$ref.includes('/modifiers/') ? 'modifier' : 'set';
      item = { ...(pointer(item.$ref) as Json), type: kind };
    } else if (isObject(item) && typeof item.name === 'string') name = item.name;
    if (!isObject(item) || name === undefined) throw new TokenFileError(`${file}: resolutionOrder[${i}] is neither a $ref nor an inline set or modifier with a name`);
    if (item.type === 'modifier' || isObject(item.contexts)) {
      if (!isObject(item.contexts) || Object.keys(item.contexts).length === 0) throw new TokenFileError(`${file}: modifier "${name}" has no contexts`);
      const contexts = Object.keys(item.contexts);
      const first = typeof item.default === 'string' && contexts.includes(item.default) ? item.default : contexts[0]!;
      const ordered = [first, ...contexts.filter((c) => c !== first)];
      const contextsObj = item.contexts;
      tabs.push({ tab: name, modes: ordered.map((mode) => ({ mode, tokens: sourcesOf(contextsObj[mode], `modifier "${name}" context "${mode}"`, new Set()) })) });
    } else {
      tabs.push({ tab: name, modes: [{ mode: 'Value', tokens: sourcesOf(item.sources, `set "${name}"`, new Set()) }] });
    }
  }
  return tabs;
}

// ---------------------------------------------------------------------------------------------
// Tokens Studio ($themes groups → tabs with modes; other sets → one-mode tabs)

export function studioTabs(sets: readonly { name: string; tree: Json; file: string }[], themes: readonly Json[], order: readonly string[]): TabSource[] {
  const ordered = [...sets].sort((a, b) => rank(order, a.name) - rank(order, b.name));
  const byName = new Map(ordered.map((s) => [s.name, s]));
  const findSet = (name: string) => byName.get(name) ?? ordered.find((s) => name.endsWith(`/${s.name}`) || s.name.endsWith(`/${name}`));
  const enabledAnywhere = new Set<string>();
  const groups = new Map<string, { theme: string; sets: string[] }[]>();
  for (const theme of themes) {
    if (typeof theme.name !== 'string' || !isObject(theme.selectedTokenSets)) continue;
    const group = typeof theme.group === 'string' && theme.group.trim() !== '' ? theme.group : 'Themes';
    const selected = theme.selectedTokenSets as Json;
    const enabled = Object.keys(selected)
      .filter((s) => selected[s] === 'enabled')
      .map((s) => findSet(s)?.name)
      .filter((s): s is string => s !== undefined)
      .sort((a, b) => rank(order, a) - rank(order, b));
    for (const s of enabled) enabledAnywhere.add(s);
    if (!groups.has(group)) groups.set(group, []);
    groups.get(group)!.push({ theme: theme.name, sets: enabled });
  }
  const tabs: TabSource[] = [];
  for (const set of ordered) {
    if (!enabledAnywhere.has(set.name)) tabs.push({ tab: set.name, modes: [{ mode: 'Value', tokens: walkTokens(set.tree, set.file) }] });
  }
  for (const [group, members] of groups) {
    tabs.push({ tab: group, modes: members.map((m) => ({ mode: m.theme, tokens: m.sets.flatMap((s) => walkTokens(byName.get(s)!.tree, byName.get(s)!.file)) })) });
  }
  return tabs;
}

function rank(order: readonly string[], name: string): number {
  const i = order.indexOf(name);
  return i < 0 ? order.length : i;
}
