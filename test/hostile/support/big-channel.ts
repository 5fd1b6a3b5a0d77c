// A channel whose grid is about 5 MB (the default MAX_BODY_BYTES), the size the attacks of issue 11 used,
// and a sheet model in step with it. Also prepared snapshot bodies of that size that differ from each
// other, so an attacker can post one after another with a fresh id and signature each time, cheaply.
//
// API
//   bigRows(n, label) → n rows of ~55 bytes each: ['color/…/token-000123', '#rrggbb', 'label …']
//   createBigChannel(relayUrl, { rows = 80000 }) → { channel, sheet, bytes } registered, snapshot posted
//   snapshotBodies(sheet-less, count, rows) → PreparedSnapshot[]: bodies with an id placeholder and their hash
//   signedSnapshot(prepared, channel) → { body, headers } with a fresh change id and signature

import { randomBytes } from 'node:crypto';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import type { CellValue } from '../../../shared/protocol/grid';
import { paths } from '../../../shared/protocol/messages';
import { ModelSheet, newChannel, postChange, register, signedHeaders, type TestChannel } from '../../relay/support/relay-api';

export const BIG_ROWS = 80_000;

export function bigRows(n: number, label = 'value'): CellValue[][] {
  return Array.from({ length: n }, (_, i) => [`color/brand/token-${String(i).padStart(6, '0')}`, `#${((i * 2654435761) >>> 8).toString(16).padStart(6, '0').slice(-6)}`, `${label} ${i}`]);
}

export async function createBigChannel(relayUrl: string, options: { rows?: number } = {}): Promise<{ channel: TestChannel; sheet: ModelSheet; bytes: number }> {
  const channel = newChannel();
  const registered = await register(relayUrl, channel, channel.secret);
  if (registered.status !== 201) throw new Error(`register answered ${registered.status} ${JSON.stringify(registered.body)}`);
  const sheet = new ModelSheet();
  const change = sheet.snapshot([{ tabId: 0, name: 'Tokens', values: bigRows(options.rows ?? BIG_ROWS) }]);
  const text = JSON.stringify(change);
  const answer = await postChange(relayUrl, channel, text);
  if (answer.status !== 200) throw new Error(`the big snapshot answered ${answer.status} ${JSON.stringify(answer.body)}`);
  return { channel, sheet, bytes: Buffer.byteLength(text) };
}

export interface PreparedSnapshot {
  /** The body with `"id":"ID_PLACEHOLDER_0123456789"` to replace by a fresh id of the same length. */
  template: string;
  hash: string;
}

const PLACEHOLDER = 'ID_PLACEHOLDER_0123456789';

/** `count` different snapshots of `rows` rows each, serialised once. */
export function snapshotBodies(count: number, rows = BIG_ROWS): PreparedSnapshot[] {
  return Array.from({ length: count }, (_, k) => {
    const tabs = [{ tabId: 0, name: 'Tokens', values: bigRows(rows, `v${k}`) }];
    const hash = gridHash({ tabs: tabs.map((t) => ({ tabId: t.tabId, name: t.name, rows: t.values })) });
    return { template: JSON.stringify({ v: 2, id: PLACEHOLDER, kind: 'snapshot', tabs, hash }), hash };
  });
}

/** A prepared snapshot with a fresh change id, signed now. */
export function signedSnapshot(prepared: PreparedSnapshot, channel: TestChannel): { body: string; headers: Record<string, string> } {
  const id = randomBytes(18).toString('base64url').slice(0, PLACEHOLDER.length);
  const body = prepared.template.replace(PLACEHOLDER, id);
  const path = paths.changes(channel.channelId);
  return { body, headers: { 'content-type': 'application/json', ...signedHeaders(channel.secret, 'POST', path, body) } };
}
