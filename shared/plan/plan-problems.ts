// The problems the planner reports (conflicts between the sheet and what the Figma file holds), each
// pointing at the sheet cell a person should look at, with what to do about it.

import { typeWord } from '../sheet/figma-rules';
import { quote } from '../sheet/mapper-problems';
import type { VariableType } from '../sheet/model';
import type { Problem } from '../protocol/messages';

const word = (type: string): string => (['COLOR', 'FLOAT', 'STRING', 'BOOLEAN'].includes(type) ? typeWord(type as VariableType) : type);

/** Every plan problem code with its severity: errors leave the row (or value) alone. */
export const PLAN_PROBLEMS = {
  /** A variable the sync did not create already has the row's name in the collection. */
  NAME_TAKEN: 'error',
  /** The row's variable exists with another type; Figma cannot change a variable's type. */
  TYPE_CHANGED: 'error',
  /** An alias points at a row the plan cannot create or update (it has a problem of its own). */
  ALIAS_UNRESOLVED: 'error',
  /** Two collections in the file say they were made for the same tab; the first is synced. */
  TAB_CLAIMED_TWICE: 'warning',
  /** The tab's name is a collection the sync did not create: not synced until the designer adopts it. */
  ADOPTION_PENDING: 'warning',
  /** Several collections the sync did not create have the tab's name: which to adopt is unclear. */
  ADOPTION_AMBIGUOUS: 'error',
  /** Adopting: the collection's variable of the row's name has another type; Figma cannot change it. */
  TYPE_DIFFERS: 'error',
  /** The tab was renamed to the name of another collection in the file: renaming would make a twin, so the collection keeps its name. */
  COLLECTION_NAME_TAKEN: 'warning',
} as const satisfies Record<string, Problem['severity']>;

export type PlanProblemCode = keyof typeof PLAN_PROBLEMS;

/** Every code, in catalogue order. */
export const PLAN_PROBLEM_CODES = Object.keys(PLAN_PROBLEMS) as PlanProblemCode[];

function problem(code: PlanProblemCode, tab: string, cell: string, message: string): Problem {
  return { tab, cell, severity: PLAN_PROBLEMS[code], message, code };
}

/** `madeByHand`: the holder has no mark of the sync; otherwise its type is one the sync does not handle. */
export function nameTakenProblem(tab: string, cell: string, name: string, collection: string, holderType: string, madeByHand: boolean): Problem {
  const why = madeByHand
    ? 'that the sync did not create, so the sync leaves this row alone'
    : `of type ${holderType}, which the sync does not handle, so the sync leaves this row alone`;
  return problem(
    'NAME_TAKEN',
    tab,
    cell,
    `${quote(name)} is already a variable in the Figma collection ${quote(collection)} ${why}. Rename one of them (the row or the Figma variable).`,
  );
}

export function typeChangedProblem(tab: string, cell: string, name: string, figmaType: string, sheetType: string): Problem {
  return problem(
    'TYPE_CHANGED',
    tab,
    cell,
    `${quote(name)} is a ${figmaType} variable in Figma but this row is now ${sheetType}, and Figma cannot change a variable's type, so the row was not synced. ` +
      `Either remove the old variable from the plugin's orphan list (bindings to it break) and the next sync creates it as ${sheetType}, ` +
      `or give this row a new name (the old variable stays as an orphan).`,
  );
}

export function aliasUnresolvedProblem(tab: string, cell: string, collection: string, name: string, waitsForAdoption = false): Problem {
  const why = waitsForAdoption
    ? `whose tab waits to be adopted in the Figma plugin (see the problem on ${quote(collection)})`
    : 'which the sync could not create or update in Figma (see the problem on that row)';
  return problem('ALIAS_UNRESOLVED', tab, cell, `This alias points at ${quote(`${collection}::${name}`)}, ${why}, so this value was not set.`);
}

export function adoptionPendingProblem(tab: string): Problem {
  return problem(
    'ADOPTION_PENDING',
    tab,
    '',
    `The Figma file already has a collection named ${quote(tab)} that the sync did not create. The sync makes no second one: in the Figma plugin, choose Adopt to make that collection (and its variables, with every binding) this tab's. Until then this tab is not synced.`,
  );
}

export function adoptionAmbiguousProblem(tab: string, count: number): Problem {
  return problem(
    'ADOPTION_AMBIGUOUS',
    tab,
    '',
    `The Figma file has ${count} collections named ${quote(tab)} that the sync did not create, so it cannot tell which one this tab is and syncs none. Rename all but one of them in Figma (or rename the tab).`,
  );
}

export function typeDiffersProblem(tab: string, cell: string, name: string, collection: string, figmaType: string, sheetType: string): Problem {
  return problem(
    'TYPE_DIFFERS',
    tab,
    cell,
    `${quote(name)} is a ${word(figmaType)} variable in the Figma collection ${quote(collection)} but this row is ${word(sheetType)}, and Figma cannot change a variable's type, so this row is not adopted and the variable stays as it is. ` +
      `Write ${word(figmaType)} values in the row (or ${word(figmaType)} in its Type column), or rename the row or the Figma variable.`,
  );
}

export function tabClaimedTwiceProblem(tab: string, tabId: number, kept: string, ignored: string): Problem {
  return problem(
    'TAB_CLAIMED_TWICE',
    tab,
    '',
    `Two Figma collections say they were made for this tab (id ${tabId}): ${quote(kept)} is synced and ${quote(ignored)} is left alone. ` +
      `Delete or rename the one you do not want (a duplicated collection keeps the sync's mark).`,
  );
}

export function collectionNameTakenProblem(tab: string, kept: string): Problem {
  return problem(
    'COLLECTION_NAME_TAKEN',
    tab,
    '',
    `The Figma file already has another collection named ${quote(tab)}, so this tab's collection keeps its name ${quote(kept)} rather than making two of that name. Rename the tab, or the other collection in Figma.`,
  );
}
