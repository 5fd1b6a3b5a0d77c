// One execution's view of the document: the ports, the state read once from document properties,
// the synced tabs' values read at most once, and the write-back of what changed.

import { extentOf, type Extent } from '../core/edited-range';
import { gridHashWith, tabDigestWith } from '../../shared/protocol/canonical-hash';
import { normalizeTabs, type GridHasher, type TabValues } from '../core/change-builder';
import { KEYS, docStateWrites, readDocState, type DocState } from '../core/doc-state';
import type { Ports } from '../core/ports';
import { resolveSyncedTabs, syncedTabsDiffer, type TabRef } from '../core/synced-tabs';
import { fingerprintOf } from '../core/tab-fingerprint';

/** This user's key in their user properties: names them in the document's state without an email scope. */
export const USER_KEY = 'sfs.userKey';

export class Session {
  state!: DocState;
  private props!: Record<string, string>;
  private before!: DocState;
  private grid: TabValues[] | undefined;
  private lastTimestamp = 0;
  /** When the execution started (unix ms): the `at` of the changes it builds. */
  readonly startedAt: number;

  constructor(readonly ports: Ports) {
    this.startedAt = ports.env.now();
    this.reload();
  }

  /** Each tab's canonical-hash digest, by tab object: the hash and the fingerprints of one execution share them. */
  private readonly digests = new WeakMap<TabValues, string>();

  /** A tab's digest in the canonical hash, digested natively (Utilities.computeDigest), computed once per tab object. */
  readonly tabDigest = (tab: TabValues): string => {
    let digest = this.digests.get(tab);
    if (digest === undefined) this.digests.set(tab, (digest = tabDigestWith(tab, this.ports.env.sha256Hex)));
    return digest;
  };

  /** The canonical hash of synced tabs, digested natively (see GridHasher). */
  readonly hash: GridHasher = (tabs) => gridHashWith({ tabs }, this.ports.env.sha256Hex, this.tabDigest);

  /** Reads the document's state again (after taking the lock, another execution may have changed it). */
  reload(): void {
    this.props = this.ports.doc.getAll();
    this.before = readDocState(this.props);
    this.state = { ...this.before };
    this.grid = undefined;
  }

  /** Writes back the keys whose values changed; nothing when nothing did. */
  save(): void {
    const { set, remove } = docStateWrites(this.props, this.before, this.state);
    if (!Object.keys(set).length && !remove.length) return;
    this.ports.doc.write(set, remove);
    for (const key of remove) delete this.props[key];
    Object.assign(this.props, set);
    this.before = this.state;
    this.state = { ...this.state };
  }

  /**
   * Whether another execution asked for a snapshot since this one read the state (a lone key,
   * written without the lock). Adopting the request makes the next save remove the key.
   */
  adoptSnapshotRequest(): boolean {
    const value = this.ports.doc.get(KEYS.wantSnapshot);
    // The request read at reload was handled by this execution already.
    if (!value || value === this.props[KEYS.wantSnapshot]) return false;
    this.props[KEYS.wantSnapshot] = value;
    this.state.wantSnapshot = true;
    return true;
  }

  /** A signing timestamp, strictly increasing within the execution (equal signatures read as replays). */
  timestamp(): number {
    this.lastTimestamp = Math.max(this.ports.env.now(), this.lastTimestamp + 1);
    return this.lastTimestamp;
  }

  /**
   * The synced tabs as they are now, with current names. In `auto` mode the header rule is
   * re-applied only when asked (`recheckHeaders`), since reading every tab's row 1 costs a call each.
   */
  syncedTabs(recheckHeaders: boolean): TabRef[] {
    const tabs = this.ports.sheet.tabs();
    const setting = this.state.tabs;
    if (!setting || (setting.mode === 'auto' && recheckHeaders)) {
      return resolveSyncedTabs({ mode: 'auto', ids: [] }, tabs, (id) => this.ports.sheet.header(id));
    }
    return resolveSyncedTabs({ mode: 'chosen', ids: setting.tabs.map((t) => t.tabId) }, tabs, () => []);
  }

  /** Whether the synced set (ids or names) differs from what is stored; stores nothing. */
  syncedTabsChanged(): boolean {
    const before = this.state.tabs;
    return !before || syncedTabsDiffer(before.tabs, this.syncedTabs(true));
  }

  /** Records the synced set; true when it differs from what was stored (a snapshot must follow). */
  storeSyncedTabs(tabs: TabRef[], mode?: 'auto' | 'chosen'): boolean {
    const before = this.state.tabs;
    const nextMode = mode ?? before?.mode ?? 'auto';
    const differs = !before || before.mode !== nextMode || syncedTabsDiffer(before.tabs, tabs);
    if (differs) {
      this.state.tabs = { mode: nextMode, tabs };
      this.grid = undefined;
    }
    return differs;
  }

  /** The sheet was written by this execution (an import): its values are read again when next asked for. */
  forgetValues(): void {
    this.grid = undefined;
  }

  /** The synced tabs' values (normalized, sorted by tabId), read once per execution. */
  values(): TabValues[] {
    if (!this.grid) {
      const tabs = this.state.tabs?.tabs ?? this.syncedTabs(true);
      this.grid = normalizeTabs(tabs.map((t) => ({ tabId: t.tabId, name: t.name, rows: this.ports.sheet.values(t.tabId) })));
    }
    return this.grid;
  }

  /**
   * Remembers how far each synced tab reaches in the change just built (see editedRange), and its
   * fingerprint, so a later execution finds the tabs that changed with no event naming them.
   */
  recordExtents(grid: readonly TabValues[]): void {
    const extents: Record<string, Extent> = {};
    const prints: Record<string, string> = {};
    for (const t of grid) {
      extents[String(t.tabId)] = extentOf(t.rows);
      prints[String(t.tabId)] = fingerprintOf(this.tabDigest(t));
    }
    this.state.extents = extents;
    this.state.prints = prints;
  }

  /** A random key for this user, kept in their user properties (made on first use). */
  userKey(): string {
    let key = this.ports.user.get(USER_KEY);
    if (!key) {
      key = this.ports.env.uuid();
      this.ports.user.write({ [USER_KEY]: key }, []);
    }
    return key;
  }
}
