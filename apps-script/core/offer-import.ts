// Importing an offer (a Figma file's variables as tabs, docs/protocol.md "Offers") into the sheet,
// decided without touching it: which tabs are new, which existing tab of the same name is empty and
// filled, and which holds content and may be replaced only once the owner confirmed it. Then, after
// writing, which cells Sheets stored as something else than was written (to write them again as text).

import type { CellValue, Rows } from '../../shared/protocol/grid';
import type { Offer, OfferCollection, OfferListing, Problem } from '../../shared/protocol/messages';

/** A tab of the spreadsheet, and whether it holds anything. */
export interface ExistingTab {
  tabId: number;
  name: string;
  hasContent: boolean;
}

export interface ImportPlan {
  /** Collections whose tab does not exist: inserted. */
  create: OfferCollection[];
  /** Collections whose tab exists (same name, ignoring case: Sheets refuses two such tabs) and is written. */
  write: { collection: OfferCollection; tab: ExistingTab }[];
  /** Tabs with content the owner has not confirmed replacing: nothing is written while any is left. */
  needsConfirmation: string[];
}

/** An offer as the sidebar lists it. */
export type SidebarOffer = Omit<OfferListing, 'bytes'>;

/** What an import did (or why it wrote nothing yet). */
export interface ImportResult {
  offerId: string;
  fileName: string;
  /** Tabs with content that will be replaced once the owner confirms them (nothing was written). */
  needsConfirmation?: string[];
  /** Tabs written: inserted, or an existing one filled or replaced. */
  tabs: { name: string; tabId: number; rows: number; how: 'inserted' | 'filled' | 'replaced' }[];
  /** What the export could not carry (from the offer), and cells Sheets would not keep as written. */
  problems: Problem[];
  /** Whether the tabs were sent to the relay (not when paused or not connected). */
  synced: boolean;
}

export function planImport(offer: Offer, existing: readonly ExistingTab[], confirmed: readonly string[]): ImportPlan {
  const byName = new Map(existing.map((t) => [t.name.toLowerCase(), t]));
  const ok = new Set(confirmed.map((n) => n.toLowerCase()));
  const plan: ImportPlan = { create: [], write: [], needsConfirmation: [] };
  for (const collection of offer.collections) {
    const tab = byName.get(collection.name.toLowerCase());
    if (!tab) plan.create.push(collection);
    else {
      plan.write.push({ collection, tab });
      if (tab.hasContent && !ok.has(collection.name.toLowerCase())) plan.needsConfirmation.push(tab.name);
    }
  }
  return plan;
}

/** Whether a tab's values hold any non-empty cell. */
export function hasContent(rows: Rows): boolean {
  return rows.some((row) => row.some((cell) => cell !== ''));
}

/** The offer's rows as one rectangle (Range.setValues takes no ragged rows). */
export function rectangle(rows: Rows): Rows {
  const width = Math.max(1, ...rows.map((r) => r.length));
  return rows.map((r) => (r.length === width ? r : [...r, ...Array<CellValue>(width - r.length).fill('')]));
}

/** A cell to write again, as text: where Sheets stored another value than the string written. */
export interface TextCell {
  row: number;
  col: number;
  text: string;
  /** What Sheets stored, for the problem when it keeps doing so. */
  stored: CellValue;
}

/** Cells of `intended` whose read-back differs; only strings can be written again as text. */
export function cellsToRewrite(intended: Rows, readBack: Rows): { text: TextCell[]; other: TextCell[] } {
  const text: TextCell[] = [];
  const other: TextCell[] = [];
  intended.forEach((row, r) =>
    row.forEach((cell, c) => {
      const stored = readBack[r]?.[c] ?? '';
      if (stored === cell) return;
      const entry = { row: r + 1, col: c + 1, text: String(cell), stored };
      if (typeof cell === 'string') text.push(entry);
      else other.push(entry);
    }),
  );
  return { text, other };
}
