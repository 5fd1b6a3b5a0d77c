// Where each variable goes in token files: its DTCG path (collection, then its "/" groups), the
// "{a.b.c}" reference to it, and its CSS custom property name. Names DTCG or CSS cannot hold are
// escaped or reported (token-problems.ts), never silently merged.

import type { MappedCollection } from '../sheet/model';
import type { TokenProblemLog } from './token-problems';

/** The one `$extensions` key under which token files carry what only Figma and the sheet know. */
export const EXTENSION_KEY = 'com.sheets-figma-sync';

/** DTCG's name for a token that is also a group (a variable "color" beside "color/red"). */
export const ROOT_TOKEN = '$root';

const DTCG_FORBIDDEN_RE = /[.{}]/g;
/** A variable name with a character DTCG forbids, or a group starting with "$". */
const NEEDS_ESCAPE_RE = /[.{}]|(?:^|\/)\$/;

/** A token or group name DTCG allows: no ".", "{" or "}", and no leading "$" (Format 2025.10, "Character restrictions"). */
export function dtcgSegment(text: string): string {
  const s = text.replace(DTCG_FORBIDDEN_RE, '_');
  return s.startsWith('$') ? `_${s.slice(1)}` : s;
}

/** A name as a CSS custom property fragment: lower case, runs of anything but letters, digits, "-" and "_" as one "-". */
export function cssIdent(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_-]+/gu, '-')
    .replace(/^-+|-+$/g, '');
  return s === '' ? '_' : s;
}

/** The DTCG paths of every variable of some collections, built once per export. */
export class TokenNames {
  /** collection name → variable name → path (absent: left out after a clash). */
  private readonly paths = new Map<string, Map<string, string[]>>();
  private readonly tops = new Map<string, string>();

  constructor(collections: readonly MappedCollection[], log: TokenProblemLog) {
    const takenTops = new Map<string, string>();
    for (const collection of collections) {
      const top = dtcgSegment(collection.name);
      const other = takenTops.get(top);
      if (other !== undefined) {
        log.add(collection, undefined, 'TOKEN_NAME_CLASH', `Tab ${JSON.stringify(collection.name)} becomes the token group "${top}", as tab ${JSON.stringify(other)} does, so its tokens are left out of the token files; rename one of the tabs`);
        continue;
      }
      takenTops.set(top, collection.name);
      if (top !== collection.name) log.add(collection, undefined, 'TOKEN_NAME_ESCAPED', `Tab ${JSON.stringify(collection.name)} is the token group "${top}": DTCG names may not contain ".", "{" or "}" or start with "$" (the tab's own name is kept in $extensions)`);
      this.tops.set(collection.name, top);
      const segmentsOf = new Map<string, string[]>();
      const groups = new Set<string>();
      for (const variable of collection.variables) {
        let segments = variable.name.split('/');
        // The mapper refuses ".", "{" and "}" in names, so only a group starting with "$" needs escaping.
        if (NEEDS_ESCAPE_RE.test(variable.name)) {
          segments = segments.map(dtcgSegment);
          log.add(collection, variable, 'TOKEN_NAME_ESCAPED', `${JSON.stringify(variable.name)} is the token "${segments.join('.')}": DTCG names may not start with "$" (the variable's own name is kept in $extensions)`);
        }
        segmentsOf.set(variable.name, segments);
        let prefix = '';
        for (let i = 0; i < segments.length - 1; i++) {
          prefix = i === 0 ? segments[0]! : `${prefix}.${segments[i]!}`;
          groups.add(prefix);
        }
      }
      const byPath = new Map<string, string>();
      const paths = new Map<string, string[]>();
      for (const variable of collection.variables) {
        const segments = segmentsOf.get(variable.name)!;
        const key = segments.join('.');
        const path = groups.has(key) ? [top, ...segments, ROOT_TOKEN] : [top, ...segments];
        const joined = path.join('.');
        const first = byPath.get(joined);
        if (first !== undefined) {
          log.add(collection, variable, 'TOKEN_NAME_CLASH', `${JSON.stringify(variable.name)} becomes the token "${joined}", as ${JSON.stringify(first)} does, so it is left out of the token files; rename one of them`);
          continue;
        }
        byPath.set(joined, variable.name);
        paths.set(variable.name, path);
      }
      this.paths.set(collection.name, paths);
    }
  }

  /** The token's path, or undefined when it is left out (its collection or path clashed). */
  path(collection: string, name: string): string[] | undefined {
    return this.paths.get(collection)?.get(name);
  }

  /** The collection's top-level group name, or undefined when it is left out. */
  top(collection: string): string | undefined {
    return this.tops.get(collection);
  }

  /** A DTCG reference ("{Primitives.color.white}"), or undefined when the target is left out. */
  reference(collection: string, name: string): string | undefined {
    const path = this.path(collection, name);
    return path && `{${path.join('.')}}`;
  }
}
