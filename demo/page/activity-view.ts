// The demo's "sheet" column: what the scripted editor did in the spreadsheet (tab, cell, new value),
// newest first, each with how long after the add-on's handler started the plugin had applied it.

import type { AppliedRecord } from './page-api';

export type ShownValue = string | number | boolean;

/** Sent by the demo server on /events (server-sent events), one JSON object per event. */
export type DemoEvent =
  | {
      type: 'link';
      link: { relayUrl: string; channelId: string; token: string };
      pairingCode: string;
      sheetTitle: string;
      relayUrl: string;
    }
  | {
      type: 'edit';
      /** What a person did, in words ("Changed the brand blue"). */
      note: string;
      tab: string;
      /** A1 of the cell, or of the range (A61:E61) when the edit wrote several. */
      cell: string;
      /** The first cell's new value. */
      value: ShownValue;
      /** How many cells the edit wrote. */
      cells: number;
      /** Date.now() just before the edit trigger ran. */
      startedAt: number;
      /** The seq the relay gave the change. */
      seq?: number;
    }
  | { type: 'note'; text: string; at: number };

export interface ActivityState {
  events: DemoEvent[];
  applied: AppliedRecord[];
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const COLOR_RE = /^#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})$|^(rgb|rgba|hsl)\(/i;

function shownValue(value: ShownValue): HTMLElement {
  if (typeof value === 'string' && COLOR_RE.test(value.trim())) {
    const chip = el('span', 'mini-swatch');
    chip.style.background = value;
    return el('span', 'edit-value', chip, el('code', '', value));
  }
  if (typeof value === 'string' && /^\{.+\}$/.test(value.trim())) return el('span', 'edit-value', el('span', 'alias-chip', value.trim().slice(1, -1)));
  return el('span', 'edit-value', el('code', '', typeof value === 'string' ? value : String(value).toUpperCase()));
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 2 ? 'just now' : s < 60 ? `${s} s ago` : `${Math.floor(s / 60)} min ago`;
}

/** The first apply that covers an edit: its seq when known, else the first whose change started after it. */
function appliedFor(event: Extract<DemoEvent, { type: 'edit' }>, applied: AppliedRecord[]): AppliedRecord | undefined {
  if (event.seq !== undefined) return applied.find((a) => a.seq >= event.seq!);
  return applied.find((a) => a.at !== undefined && a.at >= event.startedAt);
}

function sheetRef(tab: string, cell: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(tab) ? `${tab}!${cell}` : `'${tab.replace(/'/g, "''")}'!${cell}`;
}

export function renderActivity(root: HTMLElement, state: ActivityState): void {
  const now = Date.now();
  const link = [...state.events].reverse().find((e): e is Extract<DemoEvent, { type: 'link' }> => e.type === 'link');
  const items = el('ol', 'activity-list');
  const edits = state.events.filter((e) => e.type !== 'link').reverse().slice(0, 40);
  for (const event of edits) {
    if (event.type === 'note') {
      items.append(el('li', 'activity-note', event.text));
      continue;
    }
    if (event.type !== 'edit') continue;
    const done = appliedFor(event, state.applied);
    const delay = done && done.at !== undefined ? Math.max(0, done.postedAt - done.at) : undefined;
    const item = el(
      'li',
      `activity-edit${done ? ' done' : ' waiting'}`,
      el('div', 'edit-head', el('span', 'edit-cell', sheetRef(event.tab, event.cell)), el('span', 'edit-when muted', ago(now - event.startedAt))),
      el('div', 'edit-note', event.note),
      el(
        'div',
        'edit-foot',
        shownValue(event.value),
        el('span', 'spacer'),
        done ? el('span', 'edit-applied', delay !== undefined ? `in Figma after ${delay} ms` : 'in Figma') : el('span', 'edit-pending', 'on its way…'),
      ),
    );
    item.dataset.test = 'activity-edit';
    items.append(item);
  }
  if (edits.length === 0) items.append(el('li', 'activity-note', 'Waiting for the first edit…'));
  const head = link
    ? el(
        'div',
        'sheet-card',
        el('div', 'sheet-title', el('span', 'sheets-icon'), link.sheetTitle),
        el('div', 'muted small', `Connected to the relay at ${link.relayUrl}`),
        el('div', 'pairing', el('span', 'muted small', 'Pairing code '), el('code', 'pairing-code', `${link.pairingCode.slice(0, 18)}…`)),
      )
    : el('div', 'sheet-card muted', 'Connecting the sheet…');
  root.replaceChildren(head, el('h4', 'activity-title', 'Edits in the sheet'), items);
}
