// Plays the add-on's side against a real relay in tests: registers a channel, publishes signed
// patches and snapshots (with the canonical hash of the grid after each), and rotates the secret.

import { randomBytes } from 'node:crypto';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { channelIdForClaim } from '../../../shared/protocol/channel-claim';
import { applyChange, emptyGrid, gridToTabs, type CellValue, type Grid } from '../../../shared/protocol/grid';
import { encodePairingCode } from '../../../shared/protocol/pairing-code';
import { paths, type Change, type ChangeAccepted, type ChangeTab } from '../../../shared/protocol/messages';
import { base64UrlEncode, signRequest, subscribeToken, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '../../../shared/protocol/signing';

export class SheetPublisher {
  /** What the channel id is derived from (shared/protocol/channel-claim.ts); brought by the unsigned claim. */
  readonly claim = base64UrlEncode(randomBytes(32));
  readonly channelId = channelIdForClaim(this.claim);
  secret = base64UrlEncode(randomBytes(32));
  grid: Grid = emptyGrid();
  title = 'Brand tokens';
  private changes = 0;

  /**
   * `relayUrl` is where this publisher posts; `codeRelayUrl` the relay address its pairing codes name
   * (the same relay as the plugin's window must reach it, e.g. http://localhost:PORT for 127.0.0.1:PORT).
   */
  constructor(
    public relayUrl: string,
    public codeRelayUrl: string = relayUrl,
  ) {}

  /** The pairing code a designer would paste, for the current secret (for another relay address when given). */
  pairingCode(relayUrl: string = this.codeRelayUrl): string {
    return encodePairingCode({ relayUrl, channelId: this.channelId, token: subscribeToken(this.secret, this.channelId) });
  }

  async register(): Promise<void> {
    const res = await fetch(`${this.relayUrl}${paths.channel(this.channelId)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ secret: this.secret, claim: this.claim }),
    });
    if (!res.ok) throw new Error(`register answered ${res.status}: ${await res.text()}`);
  }

  /** Rotates the secret (signed with the current one): every pairing code made before stops working. */
  async rotate(): Promise<void> {
    const next = base64UrlEncode(randomBytes(32));
    const body = JSON.stringify({ secret: next });
    await this.signed('PUT', paths.channel(this.channelId), body);
    this.secret = next;
  }

  async snapshot(tabs: { tabId: number; name: string; values: CellValue[][] }[]): Promise<ChangeAccepted> {
    return this.publish('snapshot', tabs);
  }

  /** One cell written (1-based row and column). */
  async edit(tabId: number, name: string, row: number, col: number, value: CellValue): Promise<ChangeAccepted> {
    return this.publish('patch', [{ tabId, name, ranges: [{ row, col, values: [[value]] }] }]);
  }

  private async publish(kind: Change['kind'], tabs: ChangeTab[]): Promise<ChangeAccepted> {
    const grid = applyChange(this.grid, { kind, tabs });
    const change: Change = { v: 2, id: `test-${++this.changes}-${Date.now()}`, kind, tabs, hash: gridHash(grid), at: Date.now(), title: this.title };
    const accepted = (await this.signed('POST', paths.changes(this.channelId), JSON.stringify(change))) as ChangeAccepted;
    this.grid = grid;
    return accepted;
  }

  /** The grid as the plugin should hold it: tabs with their normalized rows. */
  expectedGrid(): Grid {
    return applyChange(emptyGrid(), { kind: 'snapshot', tabs: gridToTabs(this.grid) });
  }

  private async signed(method: 'PUT' | 'POST', path: string, body: string): Promise<unknown> {
    const timestamp = Date.now();
    const res = await fetch(`${this.relayUrl}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        [TIMESTAMP_HEADER]: String(timestamp),
        [SIGNATURE_HEADER]: signRequest(this.secret, timestamp, method, path, body),
      },
      body,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as unknown;
  }
}
