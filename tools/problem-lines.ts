// Problems and the closing summary as the CLI prints them (check, export): one line per problem,
// "Tab!A1  severity  message", then "N collections, N variables; N errors, N warnings".

import type { MapResult } from '../shared/sheet/model';
import type { Problem } from '../shared/protocol/messages';

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The "Problems:" block (empty when there are none), each line ending in "\n". */
export function problemLines(problems: readonly Problem[]): string[] {
  if (problems.length === 0) return [];
  return ['Problems:', ...problems.map((p) => `${p.tab}!${p.cell}  ${p.severity.padEnd(7)}  ${p.message}`), ''];
}

export function summaryLine(result: MapResult, problems: readonly Problem[] = result.problems): string {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const variables = result.collections.reduce((n, c) => n + c.variables.length, 0);
  return `${plural(result.collections.length, 'collection')}, ${plural(variables, 'variable')}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}
