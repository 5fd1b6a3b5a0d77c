// The problems token export can report about a sheet that maps cleanly, with their severities.
// docs/tokens.md lists every code here (a test checks that the two agree).

import { a1 } from '../sheet/a1';
import type { MappedCollection, MappedVariable } from '../sheet/model';
import type { Problem } from '../protocol/messages';

export const TOKEN_PROBLEMS = {
  /** A name had characters DTCG forbids in token and group names; the token path uses "_" instead. */
  TOKEN_NAME_ESCAPED: 'warning',
  /** Two variables would get the same token path or CSS custom property; the later one is left out. */
  TOKEN_NAME_CLASH: 'error',
  /** An alias points at a variable left out of the token files (after a clash); the alias is left out too. */
  TOKEN_ALIAS_LEFT_OUT: 'error',
} as const satisfies Record<string, Problem['severity']>;

export type TokenProblemCode = keyof typeof TOKEN_PROBLEMS;

export const TOKEN_PROBLEM_CODES = Object.keys(TOKEN_PROBLEMS) as TokenProblemCode[];

/** Collects export problems, each once, pointing at the variable's Name cell. */
export class TokenProblemLog {
  private readonly seen = new Set<string>();
  readonly problems: Problem[] = [];

  add(collection: MappedCollection, variable: MappedVariable | undefined, code: TokenProblemCode, message: string): void {
    const cell = variable ? a1(variable.row, collection.nameColumn ?? 1) : 'A1';
    const key = `${collection.name}\u0000${cell}\u0000${code}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.problems.push({ tab: collection.name, cell, severity: TOKEN_PROBLEMS[code], message, code });
  }
}
