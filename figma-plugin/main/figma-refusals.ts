// Figma's refusals (errors thrown by figma.variables and its objects), read from their text and
// turned into Problems that point at a sheet cell, with the plugin's codes.

import type { Problem } from '../../shared/protocol/messages';

/** Problem codes the plugin reports when Figma refuses a change (the mapper's codes are in shared/). */
export const REFUSAL_CODES = {
  /** The file's plan allows fewer modes than the tab has (Figma: "in addMode: Limited to N modes only"). */
  modeLimit: 'FIGMA_MODE_LIMIT',
  /** Another variable in the collection already has the name. */
  nameTaken: 'FIGMA_NAME_TAKEN',
  /** Figma refused the name itself. */
  nameInvalid: 'FIGMA_NAME_INVALID',
  /** The collection already holds Figma's maximum of variables. */
  variableLimit: 'FIGMA_VARIABLE_LIMIT',
  /** A library (remote) variable or collection: read-only in this file. */
  library: 'FIGMA_LIBRARY_VARIABLE',
  /** The collection was deleted in Figma while the sync ran. */
  collectionGone: 'FIGMA_COLLECTION_GONE',
  /** The variable was deleted in Figma while the sync ran. */
  variableGone: 'FIGMA_VARIABLE_GONE',
  /** Any other refusal; the message carries Figma's own words. */
  refused: 'FIGMA_REFUSED',
} as const;

export type Refusal =
  | { kind: 'mode-limit'; limit: number; text: string }
  | { kind: 'name-taken'; text: string }
  | { kind: 'name-invalid'; text: string }
  | { kind: 'variable-limit'; text: string }
  | { kind: 'remote'; text: string }
  | { kind: 'vanished'; text: string }
  | { kind: 'other'; text: string };

/** Figma's text, clipped so a Problem stays within the protocol's 1000 characters. */
function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}

/**
 * Reads a refusal from Figma's message. The mode limit's wording is documented on
 * VariableCollection.addMode ("in addMode: Limited to N modes only"); a file over its plan's limit
 * (after a downgrade) refuses setValueForMode with "cannot modify modes beyond limit of N".
 */
export function classifyRefusal(err: unknown): Refusal {
  const text = errorText(err);
  const limit = /Limited to (\d+) modes? only/i.exec(text) ?? /beyond limit of (\d+)/i.exec(text);
  if (limit) return { kind: 'mode-limit', limit: Number(limit[1]), text };
  if (/duplicate variable name|already exists|already in use|name is taken/i.test(text)) return { kind: 'name-taken', text };
  if (/invalid variable name|invalid name/i.test(text)) return { kind: 'name-invalid', text };
  if (/limit of [\d,]+ variables|too many variables/i.test(text)) return { kind: 'variable-limit', text };
  if (/does not exist|has been (removed|deleted)|was (removed|deleted)|not found/i.test(text)) return { kind: 'vanished', text };
  if (/remote|library/i.test(text)) return { kind: 'remote', text };
  return { kind: 'other', text };
}

export function problem(tab: string, cell: string, code: string, message: string, severity: Problem['severity'] = 'error'): Problem {
  return { tab, cell, severity, message: message.length > 1000 ? `${message.slice(0, 999)}…` : message, code };
}

export function modeLimitMessage(limit: number, mode: string): string {
  return (
    `Figma allows ${limit} mode${limit === 1 ? '' : 's'} per collection on this file's plan, so the mode "${mode}" was not created ` +
    `and its values were skipped. Remove a mode column from this tab, or move the file to a plan with more modes.`
  );
}

/** Warning codes of what the plugin noticed in the file (nothing the sheet did wrong, nothing refused). */
export const PLUGIN_NOTICE_CODES = {
  /** Figma lists a variable or collection the sync cannot read (a zombie); it is skipped. */
  unreadable: 'FIGMA_UNREADABLE',
} as const;
