// Checks messages from the UI iframe before the main thread acts on them: a malformed message is
// refused with a reason, never guessed at.

import type { Grid } from '../../shared/protocol/grid';
import type { ApplyHeader, UiToMain } from '../../shared/plan/plugin-messages';
import { gridFromText, gridProblem, hashProblem, isObject, isWholeNumber, positionProblem } from './grid-shape';

/** An `apply` with its grid read (from `gridText` or `grid`): what the main thread works with. */
export type ApplyRequest = { type: 'apply'; grid: Grid } & ApplyHeader;

/** A UI message as the main thread acts on it. */
export type UiRequest = Exclude<UiToMain, { type: 'apply' }> | ApplyRequest;

export type ParsedUiMessage = { ok: true; message: UiRequest } | { ok: false; message: string };

/** Figma collection ids: a short list of short strings. */
function isIdList(value: unknown): value is string[] {
  return Array.isArray(value) && value.length <= 1000 && value.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 100);
}

export function parseUiMessage(raw: unknown): ParsedUiMessage {
  if (!isObject(raw) || typeof raw.type !== 'string') return { ok: false, message: 'a UI message must be an object with a string type' };
  const fail = (why: string): ParsedUiMessage => ({ ok: false, message: `${raw.type}: ${why}` });
  switch (raw.type) {
    case 'ui-ready':
    case 'link-clear':
    case 'approve-pending':
    case 'discard-pending':
    case 'approve-drift':
    case 'dismiss-drift':
    case 'diagnose':
      return { ok: true, message: { type: raw.type } };
    case 'link-save': {
      const link = raw.link;
      if (!isObject(link) || typeof link.relayUrl !== 'string' || typeof link.channelId !== 'string' || typeof link.token !== 'string') {
        return fail('link must be {relayUrl, channelId, token}');
      }
      return { ok: true, message: { type: 'link-save', link: { relayUrl: link.relayUrl, channelId: link.channelId, token: link.token } } };
    }
    case 'apply': {
      const positionWhy = positionProblem(raw.position);
      if (positionWhy) return fail(positionWhy);
      if ((raw.gridText === undefined) === (raw.grid === undefined)) return fail('exactly one of gridText and grid must be given');
      let grid: Grid;
      if (raw.gridText !== undefined) {
        if (typeof raw.gridText !== 'string') return fail('gridText must be a string');
        const read = gridFromText(raw.gridText);
        if ('problem' in read) return fail(read.problem);
        grid = read.grid;
      } else {
        const gridWhy = gridProblem(raw.grid);
        if (gridWhy) return fail(gridWhy);
        grid = raw.grid as Grid;
      }
      const hashWhy = raw.hash === undefined ? undefined : hashProblem(raw.hash);
      if (hashWhy) return fail(hashWhy);
      if (raw.snapshot !== undefined && typeof raw.snapshot !== 'boolean') return fail('snapshot must be a boolean');
      if (raw.at !== undefined && !isWholeNumber(raw.at)) return fail('at must be a whole number of ms');
      if (raw.title !== undefined && typeof raw.title !== 'string') return fail('title must be a string');
      const position = raw.position as { epoch: string; seq: number };
      const message: ApplyRequest = { type: 'apply', position: { epoch: position.epoch, seq: position.seq }, grid };
      if (raw.hash !== undefined) message.hash = raw.hash as string;
      if (raw.snapshot !== undefined) message.snapshot = raw.snapshot as boolean;
      if (raw.at !== undefined) message.at = raw.at as number;
      if (raw.title !== undefined) message.title = raw.title as string;
      return { ok: true, message };
    }
    case 'export-request': {
      const ids = raw.collectionIds;
      if (ids !== undefined && !isIdList(ids)) return fail('collectionIds must be an array of collection ids');
      return { ok: true, message: ids === undefined ? { type: 'export-request' } : { type: 'export-request', collectionIds: ids } };
    }
    case 'exported':
    case 'adopt':
    case 'decline-adoption': {
      const ids = raw.collectionIds;
      if (!isIdList(ids)) return fail('collectionIds must be an array of collection ids');
      return { ok: true, message: { type: raw.type, collectionIds: ids } };
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
