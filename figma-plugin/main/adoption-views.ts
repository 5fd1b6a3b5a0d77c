// What the window shows of adoption (shared/plan/plan.ts): each tab waiting to adopt the collection of its
// name, with what adopting would write, and each collection an apply adopted.

import type { Adoption, Plan } from '../../shared/sheet/model';
import type { AdoptedView, AdoptionView } from '../../shared/plan/plugin-messages';
import type { FileMirror } from './file-state';
import { summarizePlan } from './review';

/** Names of variables only in Figma listed by name; the rest are counted. */
export const LISTED_FIGMA_ONLY = 20;
/** Lines of what adopting writes, and problems, listed per collection. */
export const LISTED_LINES = 100;
export const LISTED_PROBLEMS = 50;

/** The tabs waiting for the designer, as the window lists them. */
export function pendingAdoptions(plan: Plan, mirror: FileMirror, declined: ReadonlySet<string>): AdoptionView[] {
  return plan.adoptions
    .filter((a) => !a.approved)
    .map((a) => ({
      collectionId: a.collectionId,
      tab: a.tab,
      adopted: a.adopted,
      created: a.created,
      valuesChanged: a.valuesChanged,
      detailsChanged: a.detailsChanged,
      figmaOnly: a.figmaOnly.slice(0, LISTED_FIGMA_ONLY),
      figmaOnlyCount: a.figmaOnly.length,
      typeDiffers: a.typeDiffers,
      modesAdded: a.modesAdded,
      modesKept: a.modesKept,
      lines: summarizePlan({ ops: a.ops ?? [], orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: 0 }, adoptions: [] }, mirror, LISTED_LINES).lines,
      problems: (a.problems ?? []).slice(0, LISTED_PROBLEMS),
      declined: declined.has(a.collectionId),
    }));
}

/** The collections a plan adopted; `exported`: ids the file recorded as exported (adopted without asking). */
export function adoptedCollections(adoptions: readonly Adoption[], exported: ReadonlySet<string>, approvedByDesigner: ReadonlySet<string>): AdoptedView[] {
  return adoptions
    .filter((a) => a.approved)
    .map((a) => ({
      collectionId: a.collectionId,
      tab: a.tab,
      adopted: a.adopted,
      created: a.created,
      valuesChanged: a.valuesChanged,
      detailsChanged: a.detailsChanged,
      figmaOnlyCount: a.figmaOnly.length,
      modesKept: a.modesKept,
      exported: exported.has(a.collectionId) && !approvedByDesigner.has(a.collectionId),
    }));
}
