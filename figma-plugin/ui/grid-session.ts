// The channel's grid as this plugin window holds it: one grid and its position (no history), sent to
// the main thread to be applied when it settles, and the main thread's answer reported to the relay.
// A window opened again starts from the grid the main thread cached, so the relay's missed patches
// bring it up to date without a snapshot.

import { applyChange, emptyGrid, type Grid } from '../../shared/protocol/grid';
import { GridDigest } from '../../shared/protocol/grid-digest';
import { gridText } from '../../shared/protocol/grid-text';
import { appliedReport } from '../../shared/protocol/applied-report';
import type { AppliedMessage, PatchMessage, Position, SnapshotMessage } from '../../shared/protocol/messages';
import type { CachedGrid, MainToUi, UiToMain } from '../../shared/plan/plugin-messages';
import { samePosition, type GridStore } from './connection';

export interface GridSessionOptions {
  /** Posts a message to the plugin's main thread. */
  toMain: (message: UiToMain) => void;
  /** Sends the main thread's result to the relay (the connection keeps it if the socket is down). */
  toRelay: (message: AppliedMessage) => void;
  now: () => number;
  /** The last position the main thread applied, kept in the document (from `init`). */
  applied?: Position;
  paused?: boolean;
  /** Called each time the grid becomes current (caught up, or after a live change), after any apply went out. */
  onSettled?: () => void;
}

export class GridSession implements GridStore {
  private readonly options: GridSessionOptions;
  private grid: Grid | undefined;
  /** The grid's hash chunks, updated per patch at the patch's cost, so checking a patch's hash is cheap. */
  private digest: GridDigest | undefined;
  /**
   * The grid's transfer text (gridText), what goes to the main thread (one string crosses into the
   * sandbox far cheaper than the grid's many arrays): built once per grid sent.
   */
  private gridText: string | undefined;
  private gridPosition: Position | undefined;
  private appliedPosition: Position | undefined;
  /** The hash the last patch says the grid has; checked once the grid settles (see `verify`). */
  private unverifiedHash: string | undefined;
  /** The relay's hash for the grid held (the snapshot's, the last patch's or the cache's). */
  private heldHash: string | undefined;
  /** A snapshot replaced the grid since the last apply went to the main thread (it caches such a grid at once). */
  private fromSnapshot = false;
  /** Unix ms of the sheet edit behind the newest change, for the edit-to-applied delay. */
  private changeAt: number | undefined;
  private sheetTitle: string | undefined;
  /** The grid changed since it was last sent to the main thread. */
  private dirty = false;
  /** Consistent and current: the connection says so once caught up and after each live change. */
  private settled = false;
  private paused: boolean;
  /** The apply the main thread is working on; the next waits for its answer, so applies never pile up. */
  private inFlight: { position: Position; at: number | undefined } | undefined;
  /** The position the main thread holds for review (its `pending`): an approval answers it with `applied`. */
  private underReview: { position: Position; at: number | undefined } | undefined;
  private lastAppliedChangeAt: number | undefined;

  constructor(options: GridSessionOptions) {
    this.options = options;
    this.appliedPosition = options.applied;
    this.paused = options.paused ?? false;
  }

  // --- GridStore (used by the connection) -----------------------------------------------------

  get position(): Position | undefined {
    return this.gridPosition;
  }

  resumePosition(): Position | undefined {
    // Without a grid in hand only the main thread's position is worth resuming from: if the relay
    // says it is current there is nothing to apply, otherwise the connection asks for a snapshot.
    return this.grid ? this.gridPosition : this.appliedPosition;
  }

  setTitle(title: string | undefined): void {
    if (title !== undefined) this.sheetTitle = title;
  }

  replace(snapshot: SnapshotMessage): boolean {
    const grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: snapshot.tabs });
    const digest = GridDigest.of(grid);
    if (digest.hash !== snapshot.hash) return false;
    this.grid = grid;
    this.digest = digest;
    this.gridText = undefined;
    this.gridPosition = { epoch: snapshot.epoch, seq: snapshot.seq };
    this.unverifiedHash = undefined;
    this.heldHash = snapshot.hash;
    this.fromSnapshot = true;
    this.changeAt = snapshot.at;
    this.setTitle(snapshot.title);
    this.dirty = true;
    return true;
  }

  apply(patch: PatchMessage): void {
    if (!this.grid) throw new Error('GridSession.apply: no grid to patch; the connection must ask for a snapshot first');
    this.grid = applyChange(this.grid, { kind: 'patch', tabs: patch.tabs });
    this.digest = (this.digest ?? GridDigest.of(this.grid)).apply({ kind: 'patch', tabs: patch.tabs });
    this.gridText = undefined;
    this.gridPosition = { epoch: patch.epoch, seq: patch.seq };
    this.unverifiedHash = patch.hash;
    this.heldHash = patch.hash;
    this.changeAt = patch.at;
    this.dirty = true;
  }

  verify(): boolean {
    // Each patch updated the digest at its own cost; during catch-up the check is done once at the
    // end: the last patch's hash covers everything before it.
    if (this.unverifiedHash === undefined) return true;
    const ok = this.digest !== undefined && this.digest.hash === this.unverifiedHash;
    this.unverifiedHash = undefined;
    if (!ok) {
      // A grid that hashes wrong is worth nothing: forget it so nobody resumes from it.
      this.grid = undefined;
      this.digest = undefined;
      this.gridText = undefined;
      this.gridPosition = undefined;
      this.heldHash = undefined;
      this.dirty = false;
    }
    return ok;
  }

  settle(): void {
    this.settled = true;
    this.flush();
    this.options.onSettled?.();
  }

  unsettle(): void {
    this.settled = false;
  }

  // --- The plugin's side ---------------------------------------------------------------------

  get title(): string | undefined {
    return this.sheetTitle;
  }

  /** The position the main thread last applied. */
  get applied(): Position | undefined {
    return this.appliedPosition;
  }

  /** Whether a newer grid than the applied one is held back (paused, or waiting for the main thread). */
  get hasUnapplied(): boolean {
    return this.dirty;
  }

  get isPaused(): boolean {
    return this.paused;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    this.flush();
  }

  /** Forgets everything (unlink, or a different channel): the next connection starts from a snapshot. */
  reset(applied?: Position): void {
    this.grid = undefined;
    this.digest = undefined;
    this.gridText = undefined;
    this.gridPosition = undefined;
    this.appliedPosition = applied;
    this.unverifiedHash = undefined;
    this.heldHash = undefined;
    this.fromSnapshot = false;
    this.changeAt = undefined;
    this.sheetTitle = undefined;
    this.dirty = false;
    this.settled = false;
    this.inFlight = undefined;
    this.underReview = undefined;
    this.lastAppliedChangeAt = undefined;
  }

  /**
   * Starts from the grid the main thread cached (call after `reset`, before connecting): the hello then
   * carries its position and the relay's patches since then apply on top of it. The grid must hash to
   * the relay's hash stored with it; if not (damaged, or cached by a build that normalized differently)
   * it is refused and the window resumes as without a cache. Returns whether it was taken.
   */
  seed(cached: CachedGrid): boolean {
    const digest = GridDigest.of(cached.grid);
    if (digest.hash !== cached.hash) return false;
    this.grid = cached.grid;
    this.digest = digest;
    this.gridText = undefined;
    this.gridPosition = { epoch: cached.position.epoch, seq: cached.position.seq };
    this.heldHash = cached.hash;
    this.unverifiedHash = undefined;
    this.fromSnapshot = false;
    // The file applied exactly this position (the document says so): nothing to apply unless patches
    // come. Otherwise the file may hold another state (a collaborator's newer apply, or an undo), so
    // the grid goes to the main thread once current; the planner makes that cost nothing when the
    // file already matches.
    this.dirty = !samePosition(this.gridPosition, this.appliedPosition);
    return true;
  }

  /**
   * Handles the main thread's answers that concern the grid. `applied` goes to the relay as
   * `{type:'applied'}` and frees the way for the next apply; `pending` (review mode) frees it too, so a
   * newer grid replaces the change under review; `error` frees it without a retry.
   *
   * `applied` and `pending` count only for a position this session sent (the apply in flight, or the
   * change under review): after a re-pairing reset the session, the main thread may still finish the
   * previous channel's apply, whose position and problems are not this channel's. Returns whether the
   * message was taken as this session's.
   */
  onMainMessage(message: MainToUi): boolean {
    switch (message.type) {
      case 'applied': {
        const inFlight = samePosition(message.position, this.inFlight?.position);
        const reviewed = samePosition(message.position, this.underReview?.position);
        if (!inFlight && !reviewed) return false;
        this.lastAppliedChangeAt = message.at ?? (inFlight ? this.inFlight?.at : this.underReview?.at);
        if (inFlight) this.inFlight = undefined;
        if (reviewed) this.underReview = undefined;
        this.appliedPosition = message.position;
        this.options.toRelay(appliedReport({ seq: message.position.seq, problems: message.problems, counts: message.counts, at: Math.round(this.options.now()) }));
        this.flush();
        return true;
      }
      case 'pending':
        if (!samePosition(message.position, this.inFlight?.position)) return false;
        this.underReview = this.inFlight;
        this.inFlight = undefined;
        this.flush();
        return true;
      case 'error':
        this.inFlight = undefined;
        this.flush();
        return true;
      default:
        return false;
    }
  }

  /**
   * Applies the held grid again (the plan changed without the sheet changing: the designer adopted a
   * collection). Returns false when there is no grid to apply.
   */
  reapply(): boolean {
    if (!this.grid || !this.gridPosition) return false;
    this.dirty = true;
    this.flush();
    return true;
  }

  /** Unix ms of the sheet edit behind the grid the main thread applied last. */
  get appliedChangeAt(): number | undefined {
    return this.lastAppliedChangeAt;
  }

  private flush(): void {
    if (!this.settled || !this.dirty || this.paused || this.inFlight || !this.grid || !this.gridPosition) return;
    const position = this.gridPosition;
    this.inFlight = { position, at: this.changeAt };
    this.dirty = false;
    this.gridText ??= gridText(this.grid.tabs);
    const message: UiToMain = { type: 'apply', position, gridText: this.gridText };
    if (this.heldHash !== undefined) message.hash = this.heldHash;
    if (this.fromSnapshot) message.snapshot = true;
    this.fromSnapshot = false;
    if (this.changeAt !== undefined) message.at = this.changeAt;
    if (this.sheetTitle !== undefined) message.title = this.sheetTitle;
    this.options.toMain(message);
  }
}
