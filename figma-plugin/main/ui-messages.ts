// Checks messages from the UI iframe before the main thread acts on them: a malformed message is
// refused with a reason, never guessed at.

import type { CellValue, Grid, TabGrid } from '../../shared/grid';
import type { UiToMain } from '../../shared/plugin-messages';

export type ParsedUiMessage = { ok: true; message: UiToMain } | { ok: false; message: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCell = (v: unknown): v is CellValue => typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));
const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function gridProblem(grid: unknown): string | undefined {
  if (!isObject(grid) || !Array.isArray(grid.tabs)) return 'grid must be {tabs: [...]}';
  for (const [i, tab] of (grid.tabs as unknown[]).entries()) {
    if (!isObject(tab) || !isInt(tab.tabId) || typeof tab.name !== 'string' || !Array.isArray(tab.rows)) {
      return `grid.tabs[${i}] must be {tabId, name, rows}`;
    }
    for (const [r, row] of (tab.rows as unknown[]).entries()) {
      if (!Array.isArray(row) || !row.every(isCell)) return `grid.tabs[${i}].rows[${r}] must be an array of strings, finite numbers or booleans`;
    }
  }
  return undefined;
}

function positionProblem(position: unknown): string | undefined {
  if (!isObject(position) || typeof position.epoch !== 'string' || position.epoch === '' || !isInt(position.seq)) {
    return 'position must be {epoch: non-empty string, seq: whole number ≥ 0}';
  }
  return undefined;
}

export function parseUiMessage(raw: unknown): ParsedUiMessage {
  if (!isObject(raw) || typeof raw.type !== 'string') return { ok: false, message: 'a UI message must be an object with a string type' };
  const fail = (why: string): ParsedUiMessage => ({ ok: false, message: `${raw.type}: ${why}` });
  switch (raw.type) {
    case 'ui-ready':
    case 'link-clear':
    case 'approve-pending':
    case 'discard-pending':
      return { ok: true, message: { type: raw.type } };
    case 'link-save': {
      const link = raw.link;
      if (!isObject(link) || typeof link.relayUrl !== 'string' || typeof link.channelId !== 'string' || typeof link.token !== 'string') {
        return fail('link must be {relayUrl, channelId, token}');
      }
      return { ok: true, message: { type: 'link-save', link: { relayUrl: link.relayUrl, channelId: link.channelId, token: link.token } } };
    }
    case 'apply': {
      const why = positionProblem(raw.position) ?? gridProblem(raw.grid);
      if (why) return fail(why);
      if (raw.at !== undefined && !isInt(raw.at)) return fail('at must be a whole number of ms');
      if (raw.title !== undefined && typeof raw.title !== 'string') return fail('title must be a string');
      const position = raw.position as { epoch: string; seq: number };
      const grid = raw.grid as { tabs: TabGrid[] };
      const message: UiToMain = { type: 'apply', position: { epoch: position.epoch, seq: position.seq }, grid: grid as Grid };
      if (raw.at !== undefined) message.at = raw.at as number;
      if (raw.title !== undefined) message.title = raw.title as string;
      return { ok: true, message };
    }
    case 'remove-orphans': {
      const ids = raw.variableIds;
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) return fail('variableIds must be an array of strings');
      return { ok: true, message: { type: 'remove-orphans', variableIds: ids as string[] } };
    }
    case 'settings': {
      const s = raw.settings;
      if (!isObject(s) || typeof s.paused !== 'boolean' || typeof s.review !== 'boolean') return fail('settings must be {paused: boolean, review: boolean}');
      return { ok: true, message: { type: 'settings', settings: { paused: s.paused, review: s.review } } };
    }
    default:
      return { ok: false, message: `unknown UI message type "${raw.type.slice(0, 40)}"` };
  }
}
