// The problems the export reports: what of a Figma file the sheet format cannot carry exactly, each
// said rather than silently changed. docs/sheet-format.md lists every code (a test checks it).

import type { Problem } from '../protocol/messages';
import { clipped } from './mapper-problems';

/** Every export problem code with its severity: errors leave a row (or collection) out of the sheet. */
export const EXPORT_PROBLEMS = {
  /** The collection's name or a mode name cannot be a tab name or a header: the collection is left out. */
  EXPORT_COLLECTION_UNSUPPORTED: 'error',
  /** A variable name the sheet would change or refuse (".", "{", "}", an empty group, padding spaces). */
  EXPORT_NAME_UNSUPPORTED: 'error',
  /** A variable of a type the sheet has no values for (Figma's newer types). */
  EXPORT_TYPE_UNSUPPORTED: 'error',
  /** A value no cell reads back exactly (empty text, text that reads as an alias, a composed value). */
  EXPORT_VALUE_UNSUPPORTED: 'error',
  /** An alias to a variable the exported tabs do not hold (a library variable, a collection not chosen, a row left out). */
  EXPORT_ALIAS_OUTSIDE: 'error',
  /** Scopes the Scopes column cannot say: the tab gets none, and the sync leaves scopes as Figma has them. */
  EXPORT_SCOPES_KEPT: 'warning',
  /** A description or code syntax with spaces around it: the sheet drops them, so adopting trims them. */
  EXPORT_TEXT_TRIMMED: 'warning',
} as const satisfies Record<string, Problem['severity']>;

export type ExportProblemCode = keyof typeof EXPORT_PROBLEMS;

export const EXPORT_PROBLEM_CODES = Object.keys(EXPORT_PROBLEMS) as ExportProblemCode[];

/** User text in a message: clipped, and quoted as JSON (a name from another tool may hold quotes). */
export function q(text: string): string {
  return JSON.stringify(clipped(text));
}

export function exportProblem(code: ExportProblemCode, tab: string, cell: string, message: string): Problem {
  return { tab: tab.slice(0, 200), cell, severity: EXPORT_PROBLEMS[code], message: message.slice(0, 1000), code };
}

/** "…, so the row is left out (its variable in Figma stays as it is)". */
export const ROW_LEFT_OUT = 'so its row is left out of the sheet; the variable stays in Figma as it is (adopting the collection leaves it untouched)';
