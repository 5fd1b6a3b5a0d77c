// Mapped collections → token files, as a pure function (no file system), so the CLI's `export`
// and the relay can both call it: DTCG 2025.10 (per-mode files tied by a resolver document, or one
// file per collection), flat JSON, or CSS custom properties. docs/tokens.md describes every format.

import type { MappedCollection } from '../sheet/model';
import { TOKENS_FORMATS, TOKENS_LAYOUTS, type Problem } from '../protocol/messages';
import { cssFile } from './css-format';
import { CollectionTokens } from './dtcg-tree';
import { flatTokens } from './json-format';
import { resolverDocument, type CollectionFiles } from './resolver-document';
import { TokenNames } from './token-names';
import { tokenJson } from './token-json';
import { TokenProblemLog } from './token-problems';

/** The wire's names (shared/protocol/messages.ts), so the relay's query and the CLI's options cannot drift. */
export const TOKEN_FORMATS = TOKENS_FORMATS;
export type TokenFormat = (typeof TOKEN_FORMATS)[number];

/** `resolver`: one file per collection and mode plus tokens.resolver.json; `single`: one file per collection. */
export const DTCG_LAYOUTS = TOKENS_LAYOUTS;
export type DtcgLayout = (typeof DTCG_LAYOUTS)[number];

export interface TokenExportOptions {
  format: TokenFormat;
  /** DTCG only; default `resolver`. */
  layout?: DtcgLayout;
  /**
   * One mode name: each collection that has a mode of that name gives that mode, every other its
   * default mode. DTCG with a mode is the `single` layout with that mode's values as $value.
   */
  mode?: string;
}

export interface TokenFile {
  /** Relative path with "/" separators, e.g. "Semantic/Dark.tokens.json". */
  path: string;
  mediaType: string;
  text: string;
}

export interface TokenExport {
  files: TokenFile[];
  /** Problems of the export itself (names DTCG or CSS cannot hold); the sheet's own come from the mapper. */
  problems: Problem[];
}

/**
 * Bump whenever exportTokens' output for the same collections and options changes (a new field, a
 * different escape, another file name): the relay's ETags include it, so a build that polls with
 * If-None-Match gets the new files once after a relay upgrade instead of "unchanged".
 */
export const TOKEN_EXPORT_VERSION = 1;

export const RESOLVER_FILE = 'tokens.resolver.json';
export const DTCG_MEDIA_TYPE = 'application/design-tokens+json';

/** Bad export options: `option` names the option, the message the values that would work. */
export class TokenOptionError extends Error {
  override readonly name = 'TokenOptionError';
  constructor(
    readonly option: 'format' | 'layout' | 'mode',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Checks options once, before any work (unknown format or layout, a layout outside DTCG, a mode with
 * the resolver layout), and returns them with defaults filled in: DTCG gets a layout (`resolver`, or
 * `single` when a mode is given), other formats none.
 */
export function checkTokenOptions(options: TokenExportOptions): TokenExportOptions {
  if (!(TOKEN_FORMATS as readonly string[]).includes(options.format)) throw new TokenOptionError('format', `format ${JSON.stringify(options.format)} is not one of ${TOKEN_FORMATS.join(', ')}`);
  if (options.layout !== undefined && !(DTCG_LAYOUTS as readonly string[]).includes(options.layout)) {
    throw new TokenOptionError('layout', `layout ${JSON.stringify(options.layout)} is not one of ${DTCG_LAYOUTS.join(', ')}`);
  }
  if (options.layout !== undefined && options.format !== 'dtcg') throw new TokenOptionError('layout', `layout applies to the dtcg format only, not ${options.format}`);
  if (options.mode !== undefined && (typeof options.mode !== 'string' || options.mode.trim() === '')) throw new TokenOptionError('mode', 'mode must be a mode name, e.g. "Dark"');
  if (options.mode !== undefined && options.format === 'dtcg' && options.layout === 'resolver') {
    throw new TokenOptionError('mode', 'mode picks one mode, and the resolver layout holds every mode; use layout single with a mode');
  }
  const checked: TokenExportOptions = { format: options.format };
  if (options.format === 'dtcg') checked.layout = options.layout ?? (options.mode !== undefined ? 'single' : 'resolver');
  if (options.mode !== undefined) checked.mode = options.mode.trim();
  return checked;
}

/** A file or folder name made of a collection or mode name: no path separators or characters Windows refuses. */
export function fileSafe(name: string): string {
  let s = '';
  for (const ch of name) s += ch.charCodeAt(0) < 32 || '/\\:*?"<>|'.includes(ch) ? '_' : ch;
  s = s.replace(/^[\s.]+|[\s.]+$/g, '');
  return s === '' ? '_' : s;
}

/**
 * Turns mapped collections into token files. Pure: the same collections and options give the same
 * files. Pass collections from `mapGrid(grid, { units: true })`, so numbers written with px become
 * DTCG dimensions (without it they are plain numbers).
 */
export function exportTokens(collections: readonly MappedCollection[], options: TokenExportOptions): TokenExport {
  const { format, layout, mode } = checkTokenOptions(options);
  const log = new TokenProblemLog();
  const files: TokenFile[] = [];
  if (format === 'json') {
    files.push({ path: 'tokens.json', mediaType: 'application/json', text: tokenJson(flatTokens(collections, log, mode)) });
  } else if (format === 'css') {
    files.push({ path: 'tokens.css', mediaType: 'text/css', text: cssFile(collections, log, mode) });
  } else {
    const names = new TokenNames(collections, log);
    const paths = new UniquePaths();
    const dtcg = (path: string, tree: unknown): TokenFile => ({ path, mediaType: DTCG_MEDIA_TYPE, text: tokenJson(tree) });
    if (layout === 'single') {
      for (const collection of collections) {
        if (names.top(collection.name) === undefined) continue;
        const chosen = mode !== undefined && collection.modes.some((m) => m.name === mode) ? mode : collection.modes[0]!.name;
        files.push(dtcg(paths.take(`${fileSafe(collection.name)}.tokens.json`), new CollectionTokens(collection, names, log).tree(chosen, true)));
      }
    } else {
      const listed: CollectionFiles[] = [];
      for (const collection of collections) {
        if (names.top(collection.name) === undefined) continue;
        const folder = fileSafe(collection.name);
        const entry: CollectionFiles = { collection: collection.name, files: [] };
        const tokens = new CollectionTokens(collection, names, log);
        for (const m of collection.modes) {
          const path = paths.take(`${folder}/${fileSafe(m.name)}.tokens.json`);
          files.push(dtcg(path, tokens.tree(m.name, false)));
          entry.files.push({ mode: m.name, path });
        }
        listed.push(entry);
      }
      files.push({ path: paths.take(RESOLVER_FILE), mediaType: 'application/json', text: tokenJson(resolverDocument(listed)) });
    }
  }
  return { files, problems: log.problems };
}

/** Hands out file paths, numbering a path that two names made alike ("a_b" from "a/b" and "a_b"). Case-insensitive, as macOS and Windows are. */
class UniquePaths {
  private readonly taken = new Set<string>();

  take(path: string): string {
    let candidate = path;
    for (let n = 2; this.taken.has(candidate.toLowerCase()); n++) candidate = path.replace(/(\.tokens\.json|\.json)$/, ` (${n})$1`);
    this.taken.add(candidate.toLowerCase());
    return candidate;
  }
}
