// The relay's outgoing socket messages as JSON text, built once per change and sent to every
// subscriber as is. Snapshot text is assembled from the grid's stored JSON without re-serializing it.

import { PROTOCOL_VERSION } from '../shared/limits';
import type { Change, PatchMessage, WelcomeMessage } from '../shared/protocol';
import type { Grid, Rows } from '../shared/grid';

/** A snapshot message at a head. `tabsJson` is the grid as ValuesTab[] JSON. */
export function snapshotMessageText(head: { epoch: string; seq: number; hash: string; title: string | undefined; at: number | undefined; tabsJson: string }): string {
  const at = head.at === undefined ? '' : `,"at":${head.at}`;
  const title = head.title === undefined ? '' : `,"title":${JSON.stringify(head.title)}`;
  return `{"type":"snapshot","epoch":${JSON.stringify(head.epoch)},"seq":${head.seq},"tabs":${head.tabsJson},"hash":"${head.hash}"${at}${title}}`;
}

/** A patch message carrying a change's tabs as the sheet sent them. */
export function patchMessageText(change: Pick<Change, 'id' | 'tabs' | 'hash'>, epoch: string, seq: number, at: number): string {
  const message: PatchMessage = { type: 'patch', epoch, seq, id: change.id, tabs: change.tabs, hash: change.hash, at };
  return JSON.stringify(message);
}

export function welcomeMessageText(channelId: string, epoch: string, seq: number, title: string | undefined, recovery: WelcomeMessage['recovery']): string {
  const message: WelcomeMessage = { type: 'welcome', v: PROTOCOL_VERSION, channelId, epoch, seq, recovery, ...(title === undefined ? {} : { title }) };
  return JSON.stringify(message);
}

export const PONG_TEXT = '{"type":"pong"}';

/** The kind of a stored wire message, read from its first field (every message is built with `type` first). */
export function messageKind(message: string): 'patch' | 'snapshot' {
  return message.startsWith('{"type":"snapshot"') ? 'snapshot' : 'patch';
}

/** A grid as ValuesTab[] JSON: the form a snapshot carries and the stores keep. */
export function gridToTabsJson(grid: Grid): string {
  return JSON.stringify(grid.tabs.map((t) => ({ tabId: t.tabId, name: t.name, values: t.rows })));
}

/** The inverse of gridToTabsJson (the text was written by the relay, so it is trusted). */
export function gridFromTabsJson(tabsJson: string): Grid {
  const tabs = JSON.parse(tabsJson) as { tabId: number; name: string; values: Rows }[];
  return { tabs: tabs.map((t) => ({ tabId: t.tabId, name: t.name, rows: t.values })) };
}
