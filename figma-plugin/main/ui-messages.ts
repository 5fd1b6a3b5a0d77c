// Checks messages from the UI iframe before the main thread acts on them: a malformed message is
// refused with a reason, never guessed at.

import type { Grid } from '../../shared/grid';
import type { UiToMain } from '../../shared/plugin-messages';
import { gridProblem, hashProblem, isObject, isWholeNumber, positionProblem } from './grid-shape';

export type ParsedUiMessage = { ok: true; message: UiToMain } | { ok: false; message: string };

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
      const hashWhy = raw.hash === undefined ? undefined : hashProblem(raw.hash);
      if (hashWhy) return fail(hashWhy);
      if (raw.snapshot !== undefined && typeof raw.snapshot !== 'boolean') return fail('snapshot must be a boolean');
      if (raw.at !== undefined && !isWholeNumber(raw.at)) return fail('at must be a whole number of ms');
      if (raw.title !== undefined && typeof raw.title !== 'string') return fail('title must be a string');
      const position = raw.position as { epoch: string; seq: number };
      const message: UiToMain = { type: 'apply', position: { epoch: position.epoch, seq: position.seq }, grid: raw.grid as Grid };
      if (raw.hash !== undefined) message.hash = raw.hash as string;
      if (raw.snapshot !== undefined) message.snapshot = raw.snapshot as boolean;
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
