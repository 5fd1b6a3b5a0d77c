// "Send this file's variables to the sheet": the file's local collections as sheet tabs (shared/
// sheet-export.ts) wrapped in an Offer (shared/protocol/messages.ts) whose JSON text the window sends to the
// relay, or turns into TSV and CSV. Library collections are never offered (Figma does not list them
// as local); what Figma lists but cannot read (zombies) is skipped and reported.

import type { Offer } from '../../shared/protocol/messages';
import { LIMITS } from '../../shared/protocol/limits';
import type { MainToUi } from '../../shared/plan/plugin-messages';
import { exportSheet } from '../../shared/sheet/sheet-export';
import type { FileMirror } from './file-state';
import { unreadableProblems } from './unreadable-report';

const ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** A new offer id ("o-" and 16 characters of [a-z0-9]); it only has to differ between one channel's offers. */
export function newOfferId(random: () => number = Math.random): string {
  let id = 'o-';
  for (let i = 0; i < 16; i++) id += ID_ALPHABET[Math.floor(random() * ID_ALPHABET.length) % ID_ALPHABET.length];
  return id;
}

/** Problems listed in the window (all of them go in the offer, up to the protocol's limit). */
export const LISTED_EXPORT_PROBLEMS = 200;

export interface ExportInput {
  mirror: FileMirror;
  fileName: string;
  /** Unix ms. */
  now: number;
  /** The collections to export; all local ones when absent. */
  collectionIds?: readonly string[];
  random?: () => number;
}

/** The `export` message for the window: the choices, what the chosen collections became, and the offer's text. */
export function exportMessage(input: ExportInput): Extract<MainToUi, { type: 'export' }> {
  const state = input.mirror.state();
  const local = state.collections.filter((c) => !c.remote);
  const chosen = new Set(input.collectionIds ?? local.map((c) => c.id));
  const result = exportSheet(state, { collectionIds: [...chosen] });
  const problems = [...result.problems, ...unreadableProblems(input.mirror.unreadable, new Map())];
  const counts = new Map<string, number>();
  for (const v of state.variables) if (!v.remote) counts.set(v.collectionId, (counts.get(v.collectionId) ?? 0) + 1);
  const offer: Offer = {
    id: newOfferId(input.random),
    file: { name: input.fileName.slice(0, 200) },
    at: Math.max(0, Math.round(input.now)),
    collections: result.tabs,
    ...(problems.length > 0 ? { problems: problems.slice(0, LIMITS.maxReportedErrors) } : {}),
  };
  return {
    type: 'export',
    choices: local.map((c) => ({ collectionId: c.id, name: c.name, variables: counts.get(c.id) ?? 0, selected: chosen.has(c.id) })),
    collections: result.tabs.map((t) => ({ collectionId: t.collectionId, name: t.name, modes: t.modes, variables: t.variables })),
    problems: problems.slice(0, LISTED_EXPORT_PROBLEMS),
    problemCount: problems.length,
    offerText: JSON.stringify(offer),
  };
}
