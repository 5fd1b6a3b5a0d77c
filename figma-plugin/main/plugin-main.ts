// The main thread's adapter: takes the UI's messages, keeps the state (settings, mirror, orphans,
// pending review), and runs one thing at a time: map → plan → (review or execute) → report, in
// stretches that yield to the editor only once their time budget is used, then
// hands the applied grid to the grid cache so the next opening catches up by patches. While open it
// checks now and then that the file still holds the sheet's last applied state (Figma tells plugins
// nothing when variables change) and puts back what drifted.

import { mapGrid } from '../../shared/sheet/mapper';
import type { Grid } from '../../shared/protocol/grid';
import type { MapResult, Orphan, Plan } from '../../shared/sheet/model';
import type { PairingLink } from '../../shared/protocol/pairing-code';
import { planSync } from '../../shared/plan/plan';
import type { CachedGrid, MainToUi, PlanSummary, PluginSettings } from '../../shared/plan/plugin-messages';
import type { Position, Problem } from '../../shared/protocol/messages';
import { DEFAULT_CHUNK_BUDGET_MS, Stretch } from './chunked';
import { FileMirror } from './file-state';
import { GridCache, GRID_CACHE_LIMITS, type CacheWriteResult, type GridCacheLimits } from './grid-cache';
import { GridCacheWriter, type CacheWriteTiming } from './grid-cache-writer';
import { DRIFT_CHECK_MS, rereadFile } from './drift-check';
import { runMainDiagnostics } from './diagnostics';
import { realScheduler, realTimers, type PluginHost, type Scheduler, type Timers } from './host';
import { migrateLegacyMarks } from './marks';
import { removeOrphans } from './orphans';
import { executePlan } from './plan-executor';
import { DEFAULT_SETTINGS, DocumentStore, ExportedStore, SettingsStore } from './plugin-data';
import { adoptedCollections, pendingAdoptions } from './adoption-views';
import { exportMessage } from './file-export';
import { summarizePlan, type PendingSync } from './review';
import { TaskQueue } from './task-queue';
import { unreadableProblems } from './unreadable-report';
import { parseUiMessage, type ApplyRequest } from './ui-messages';

export interface PluginOptions {
  /** Time and yielding; Date.now and setTimeout 0 unless a test passes a virtual clock. */
  scheduler?: Scheduler;
  /** The most main-thread time one chunk of writes may take before the editor gets a turn. */
  chunkBudgetMs?: number;
  /** Timers for the grid cache's quiet spell; the sandbox's setTimeout unless a test passes its own. */
  timers?: Timers;
  cacheTiming?: Partial<CacheWriteTiming>;
  cacheLimits?: GridCacheLimits;
  /** Randomness for this file's id in clientStorage (Math.random). */
  random?: () => number;
  /**
   * How often the open plugin checks the file against the sheet's last applied state (ms), on `timers`;
   * 'off' for none (tests run checks with PluginHandle.checkDrift).
   */
  driftCheckMs?: number | 'off';
}

export interface PluginHandle {
  /** Resolves once every message received so far has been handled, and every grid cache write started has ended. */
  idle(): Promise<void>;
  /** What each grid cache write did, oldest first ('written', 'unchanged', 'too-large', 'failed'). */
  cacheResults(): readonly CacheWriteResult[];
  /** Runs a drift check now (after whatever is queued) and resolves when it is done. */
  checkDrift(): Promise<void>;
  /** Stops the periodic check (Figma stops a closed plugin's timers; the demo page closes plugins itself). */
  stop(): void;
}

/** The sheet's state this session last applied: what drift is measured against. */
interface LastSync {
  position: Position;
  grid: Grid;
  /** Mapped once, when first needed. */
  mapped?: MapResult;
}


class SyncPlugin {
  private readonly scheduler: Scheduler;
  private readonly documents: DocumentStore;
  private readonly settingsStore: SettingsStore;
  private readonly queue: TaskQueue;
  private readonly gridCache: GridCache;
  private readonly cacheWriter: GridCacheWriter;
  private settings: PluginSettings = { ...DEFAULT_SETTINGS };
  private mirror: FileMirror | undefined;
  /** The position last stored in the document (read once at start, then kept). */
  private position: Position | undefined;
  /** The link the window syncs from (read once at start, then kept as the window saves or clears it). */
  private link: PairingLink | undefined;
  /** This file's id in clientStorage, once read or made. */
  private fileId: string | undefined;
  /** Orphans found by the last plan. */
  private orphans: Orphan[] = [];
  private pending: PendingSync | undefined;
  /** The file's mode limit once Figma has stated it (it depends on the file's plan). */
  private modeLimit: number | undefined;
  /** How long the last plan took (ms): the guess for the next one when deciding whether to yield first. */
  private lastPlanningMs: number | undefined;
  private lastSync: LastSync | undefined;
  /** The drift shown to the designer (review or noticed), by its ops, so the same one is not shown again. */
  private shownDrift: string | undefined;
  /** Drift the designer chose to leave (review mode): not asked again until the sheet changes. */
  private dismissedDrift: string | undefined;
  private driftTimer: unknown;
  private driftCheckQueued = false;
  private stopped = false;
  /** Which collections this file exported to a sheet (adopted without asking). */
  private readonly exported: ExportedStore;
  /** Collections the designer chose to adopt in this session. */
  private readonly approvedAdoptions = new Set<string>();
  /** Collections the designer chose not to adopt for now ("Not now"), in this session. */
  private readonly declinedAdoptions = new Set<string>();

  constructor(
    private readonly host: PluginHost,
    private readonly options: PluginOptions,
  ) {
    this.scheduler = options.scheduler ?? realScheduler;
    this.documents = new DocumentStore(host.root);
    this.exported = new ExportedStore(host.root);
    this.settingsStore = new SettingsStore(host.clientStorage);
    this.gridCache = new GridCache(host.clientStorage, () => this.scheduler.now(), options.cacheLimits ?? GRID_CACHE_LIMITS);
    this.cacheWriter = new GridCacheWriter(this.gridCache, options.timers ?? realTimers, options.cacheTiming);
    this.queue = new TaskQueue((err) => this.post({ type: 'error', message: err instanceof Error ? err.message : String(err) }));
    this.position = this.documents.position();
    this.link = this.documents.link();
    this.fileId = this.documents.fileId();
    this.queue.push('other', async () => {
      this.settings = await this.settingsStore.load();
    });
  }

  async idle(): Promise<void> {
    await this.queue.idle();
    await this.cacheWriter.idle();
  }

  /** Writes made since the plugin started, for tests. */
  get cacheResults(): readonly CacheWriteResult[] {
    return this.cacheWriter.results;
  }

  receive(raw: unknown): void {
    const parsed = parseUiMessage(raw);
    if (!parsed.ok) {
      this.post({ type: 'error', message: `The plugin ignored a malformed message from its window: ${parsed.message}` });
      return;
    }
    const message = parsed.message;
    switch (message.type) {
      case 'ui-ready':
        this.queue.push('other', () => this.postInit());
        return;
      case 'link-save':
        this.queue.push('other', async () => {
          const otherChannel = this.documents.saveLink(message.link);
          this.link = message.link;
          if (otherChannel) {
            this.position = undefined;
            // A change under review came from the old channel: approving it now would apply the wrong sheet.
            this.pending = undefined;
            this.forgetSheetState();
            await this.forgetCachedGrid();
          }
        });
        return;
      case 'link-clear':
        this.queue.push('other', async () => {
          this.documents.clearLink();
          this.link = undefined;
          this.position = undefined;
          this.pending = undefined;
          this.forgetSheetState();
          await this.forgetCachedGrid();
        });
        return;
      case 'apply':
        this.queue.push('apply', () => this.apply(message));
        return;
      case 'approve-pending':
        this.queue.push('other', () => this.approve());
        return;
      case 'discard-pending':
        this.queue.push('other', async () => {
          this.pending = undefined;
        });
        return;
      case 'remove-orphans':
        this.queue.push('other', () => this.removeOrphans(message.variableIds));
        return;
      case 'settings':
        this.queue.push('other', () => this.saveSettings(message.settings));
        return;
      case 'approve-drift':
        this.queue.push('other', () => this.checkDrift(true));
        return;
      case 'dismiss-drift':
        this.queue.push('other', async () => {
          this.dismissedDrift = this.shownDrift;
        });
        return;
      case 'diagnose':
        this.queue.push('other', async () => {
          const { steps, facts } = await runMainDiagnostics({ host: this.host, scheduler: this.scheduler, documents: this.documents });
          this.post({ type: 'diagnosis', steps, facts });
        });
        return;
      case 'export-request':
        this.queue.push('other', () => this.exportFile(message.collectionIds));
        return;
      case 'exported':
        this.queue.push('other', async () => this.exported.add(message.collectionIds));
        return;
      case 'adopt':
        // The window applies its grid again next: that plan adopts them.
        this.queue.push('other', async () => {
          for (const id of message.collectionIds) {
            this.approvedAdoptions.add(id);
            this.declinedAdoptions.delete(id);
          }
        });
        return;
      case 'decline-adoption':
        this.queue.push('other', async () => {
          for (const id of message.collectionIds) this.declinedAdoptions.add(id);
        });
        return;
    }
  }

  // --- Export -------------------------------------------------------------------------------------

  /** Reads the file afresh (the designer may have edited what the sync never re-reads) and exports it. */
  private async exportFile(collectionIds: string[] | undefined): Promise<void> {
    const stretch = this.newStretch();
    const mirror = (this.mirror = await this.readFile(stretch));
    await stretch.yieldIfDue();
    this.post(exportMessage({ mirror, fileName: this.host.root.name, now: this.scheduler.now(), ...(collectionIds ? { collectionIds } : {}), ...(this.options.random ? { random: this.options.random } : {}) }));
  }

  /** Collections a plan may adopt: those the file exported to a sheet, and those the designer approved. */
  private adoptable(): Set<string> {
    return new Set([...this.exported.list(), ...this.approvedAdoptions]);
  }

  // --- Drift --------------------------------------------------------------------------------------

  /** Queues a drift check (one at a time) and resolves when it has run. */
  queueDriftCheck(): Promise<void> {
    if (!this.driftCheckQueued) {
      this.driftCheckQueued = true;
      this.queue.push('other', async () => {
        this.driftCheckQueued = false;
        try {
          await this.checkDrift(false);
        } catch {
          // Not reported as an 'error' (the window would take it for its apply's failure): the next
          // check tries again, and Diagnostics runs the same re-read and shows what fails.
        }
      });
    }
    return this.idle();
  }

  /** The sheet's state to check drift against belongs to the old link: the file is no longer checked against it. */
  private forgetSheetState(): void {
    this.lastSync = undefined;
    this.shownDrift = undefined;
    this.dismissedDrift = undefined;
  }

  stop(): void {
    this.stopped = true;
    if (this.driftTimer !== undefined) (this.options.timers ?? realTimers).clearTimeout(this.driftTimer);
    this.driftTimer = undefined;
  }

  /** Arms the next periodic check, once there is a sheet state to check against. */
  private armDriftCheck(): void {
    const every = this.options.driftCheckMs ?? DRIFT_CHECK_MS;
    if (every === 'off' || this.stopped || this.driftTimer !== undefined || !this.lastSync) return;
    const timers = this.options.timers ?? realTimers;
    this.driftTimer = timers.setTimeout(() => {
      this.driftTimer = undefined;
      void this.queueDriftCheck().then(() => this.armDriftCheck());
    }, every);
  }

  /**
   * Re-reads what the sync made and plans the sheet's last applied state against it: any op is drift.
   * Put back at once; shown first in review mode (unless `approved`); only reported while paused. A newer
   * position in the document means a collaborator applied a newer sheet state: not drift, this window
   * brings that state too.
   */
  private async checkDrift(approved: boolean): Promise<void> {
    const sync = this.lastSync;
    // A sync under review puts the file right when approved; its summary already lists the differences.
    if (!sync || this.pending) return;
    const stretch = this.newStretch();
    let mirror = this.mirror;
    if (!mirror) mirror = await this.loadMirror();
    else {
      const reread = await rereadFile(mirror, this.host.variables, { scheduler: this.scheduler, stretch });
      if (reread.structural) mirror = this.mirror = await this.readFile();
    }
    if (!sync.mapped) {
      await stretch.yieldIfDue(this.lastPlanningMs);
      sync.mapped = mapGrid(sync.grid);
    }
    await stretch.yieldIfDue(this.lastPlanningMs);
    const { plan } = this.plan(sync.mapped, mirror);
    const key = plan.ops.length > 0 ? JSON.stringify(plan.ops) : undefined;
    if (key === undefined) {
      if (this.shownDrift !== undefined) this.postDrift('none', { total: 0, byOp: {}, lines: [] }, []);
      this.shownDrift = undefined;
      return;
    }
    const stored = this.documents.position();
    if (stored && (stored.epoch !== sync.position.epoch || stored.seq > sync.position.seq)) return;
    const summary = summarizePlan(plan, mirror);
    if (!approved && (this.settings.paused || this.settings.review)) {
      if (key === this.shownDrift || key === this.dismissedDrift) return;
      this.shownDrift = key;
      this.postDrift(this.settings.paused ? 'noticed' : 'review', summary, []);
      return;
    }
    const result = await executePlan(plan, mirror, this.host.variables, {
      scheduler: this.scheduler,
      stretch,
      ...(this.modeLimit !== undefined ? { modeLimit: this.modeLimit } : {}),
    });
    if (result.modeLimit !== undefined) this.modeLimit = result.modeLimit;
    if (result.applied > 0) this.host.commitUndo();
    this.orphans = plan.orphans;
    this.shownDrift = undefined;
    this.dismissedDrift = undefined;
    this.postDrift('reset', summary, result.problems);
  }

  private postDrift(state: 'reset' | 'review' | 'noticed' | 'none', summary: PlanSummary, problems: Problem[]): void {
    this.post({ type: 'drift', state, summary, problems, orphans: this.orphans });
  }

  private post(message: MainToUi): void {
    this.host.ui.postMessage(message);
  }

  private async postInit(): Promise<void> {
    const link = this.documents.link();
    this.link = link;
    // A link saved by a build that kept no hint gets one, so a later plugin id can name the sheet.
    if (link) this.documents.ensureLinkHint(link);
    const linkHint = link ? undefined : this.documents.linkHint();
    const fileId = this.fileId;
    let cached: CachedGrid | undefined;
    if (link && fileId) {
      // A window opened again within this session reads what was applied last, not an older write.
      this.cacheWriter.flush();
      await this.cacheWriter.idle();
      cached = await this.gridCache.read(fileId, link);
    }
    // The cached grid is the sheet's state the file holds when it is at the document's position: what a
    // drift check compares the file with until this session applies something itself.
    if (!this.lastSync && cached && this.position && cached.position.epoch === this.position.epoch && cached.position.seq === this.position.seq) {
      this.lastSync = { position: cached.position, grid: cached.grid };
      this.armDriftCheck();
    }
    // The cached grid's position may differ from the document's `position` (a collaborator applied
    // newer changes to the file, or this machine's last writes were lost when the plugin closed).
    // Resuming from the cached position is still right: the window catches the grid up to the relay's
    // position by patches, and the planner compares that whole state with what the file holds, so
    // whatever the file applied meanwhile costs no wrong write.
    this.post({
      type: 'init',
      ...(link ? { link } : {}),
      ...(linkHint ? { linkHint } : {}),
      ...(this.position ? { position: this.position } : {}),
      ...(cached ? { cached } : {}),
      fileName: this.host.root.name,
      settings: { ...this.settings },
      orphans: this.orphans,
    });
  }

  /** The mirror of the file, read once on first use (in `stretch`, when given). */
  private async loadMirror(stretch?: Stretch): Promise<FileMirror> {
    if (!this.mirror) this.mirror = await this.readFile(stretch);
    return this.mirror;
  }

  /** Reads the file into a new mirror, copying marks an earlier build kept privately to shared plugin data. */
  private async readFile(stretch?: Stretch): Promise<FileMirror> {
    const mirror = await FileMirror.load(this.host.variables, stretch);
    if (mirror.legacyMarked().length > 0) {
      const copied = await migrateLegacyMarks(mirror, { scheduler: this.scheduler, ...(this.options.chunkBudgetMs !== undefined ? { budgetMs: this.options.chunkBudgetMs } : {}) });
      if (copied > 0) this.host.commitUndo();
    }
    return mirror;
  }

  private async apply(message: ApplyRequest): Promise<void> {
    const stretch = this.newStretch();
    const mirror = await this.loadMirror(stretch);
    // Mapping and planning each run uninterrupted over the whole grid. The editor gets a turn between
    // them only when both in one stretch would overrun the budget (the last plan's time is the guess
    // for this one); a small change maps, plans and writes without a single yield.
    const start = this.scheduler.now();
    const mapped = mapGrid(message.grid);
    const mappingMs = this.scheduler.now() - start;
    await stretch.yieldIfDue(this.lastPlanningMs ?? mappingMs);
    const { plan, ms: planningMs } = this.plan(mapped, mirror);
    this.orphans = plan.orphans;
    const sync: PendingSync = {
      position: message.position,
      grid: message.grid,
      mapped,
      plan,
      ...(message.hash !== undefined ? { hash: message.hash } : {}),
      ...(message.snapshot ? { snapshot: true } : {}),
      ...(message.at !== undefined ? { at: message.at } : {}),
      ...(message.title !== undefined ? { title: message.title } : {}),
    };
    if (this.settings.review && plan.ops.length > 0) {
      // A newer grid replaces a pending one: it is the whole state, so its plan covers the older one.
      this.pending = sync;
      this.post({ type: 'pending', position: message.position, summary: summarizePlan(plan, mirror) });
      return;
    }
    this.pending = undefined;
    await this.execute(sync, mappingMs + planningMs, stretch);
  }

  private async approve(): Promise<void> {
    const sync = this.pending;
    if (!sync) return;
    this.pending = undefined;
    await this.execute(sync, 0, this.newStretch());
  }

  private newStretch(): Stretch {
    return new Stretch(this.scheduler, this.options.chunkBudgetMs ?? DEFAULT_CHUNK_BUDGET_MS);
  }

  /** Plans against the mirror; how long it took is kept as the guess for the next plan. */
  private plan(mapped: MapResult, mirror: FileMirror): { plan: Plan; ms: number } {
    const start = this.scheduler.now();
    const plan = planSync(mapped.collections, mirror.state(), { adopt: this.adoptable() });
    const ms = this.scheduler.now() - start;
    this.lastPlanningMs = ms;
    return { plan, ms };
  }

  /** Executes a planned sync in `stretch` (what mapping and planning used counts), stores the position, and reports to the UI. */
  private async execute(sync: PendingSync, mapAndPlanMs: number, stretch: Stretch): Promise<void> {
    let mirror = await this.loadMirror();
    let plan: Plan = sync.plan;
    const run = (p: Plan) =>
      executePlan(p, mirror, this.host.variables, {
        scheduler: this.scheduler,
        stretch,
        ...(this.modeLimit !== undefined ? { modeLimit: this.modeLimit } : {}),
        onChunk: (done, total) => this.post({ type: 'progress', position: sync.position, done, total }),
      }).then((result) => {
        this.modeLimit = result.modeLimit;
        return result;
      });
    let result = await run(plan);
    let busyMs = mapAndPlanMs + sum(result.chunkMs);
    let writes = result.applied;
    let putBack: { summary: PlanSummary; problems: Problem[] } | undefined;
    let checkAfter = false;
    if (result.drifted && !result.stale) {
      // What this plan wrote to had changed in Figma (re-read before writing): plan again against the
      // file as it is, and put back what else differs from the sheet (in review mode, ask first).
      const again = this.plan(sync.mapped, mirror);
      busyMs += again.ms;
      if (again.plan.ops.length > 0 && this.settings.review) checkAfter = true;
      else if (again.plan.ops.length > 0) {
        const summary = summarizePlan(again.plan, mirror);
        const extra = await run(again.plan);
        busyMs += sum(extra.chunkMs);
        writes += extra.applied;
        putBack = { summary, problems: extra.problems };
        result = { ...extra, problems: [...result.problems, ...extra.problems], notCreated: result.notCreated + extra.notCreated };
        plan = { ...plan, orphans: again.plan.orphans };
      }
    }
    if (result.stale) {
      // The file changed underneath the mirror (someone deleted what the plan used, or made a variable
      // with a planned name): read the file again and plan once more against what is really there
      // (bounded: one retry).
      mirror = this.mirror = await this.readFile();
      await stretch.yieldIfDue(this.lastPlanningMs);
      const again = this.plan(sync.mapped, mirror);
      plan = again.plan;
      busyMs += again.ms;
      result = await run(plan);
      busyMs += sum(result.chunkMs);
      writes += result.applied;
    }
    this.orphans = plan.orphans;
    // One undo step per sync: everything since the last commit reverts together.
    if (writes > 0) this.host.commitUndo();
    this.documents.savePosition(sync.position, this.position);
    this.position = sync.position;
    if (this.link) this.documents.saveTitle(sync.title);
    this.lastSync = { position: sync.position, grid: sync.grid, mapped: sync.mapped };
    this.shownDrift = undefined;
    this.dismissedDrift = undefined;
    this.offerToCache(sync);
    const tabNames = new Map(sync.mapped.collections.map((c) => [c.tabId, c.name] as [number, string]));
    const problems: Problem[] = [...sync.mapped.problems, ...plan.problems, ...result.problems, ...unreadableProblems(mirror.unreadable, tabNames)];
    // Adopted now (the collection carries the sync's mark): the record of its export has done its work.
    const adopted = adoptedCollections(plan.adoptions, new Set(this.exported.list()), this.approvedAdoptions).filter((a) => mirror.collection(a.collectionId)?.origin !== undefined);
    this.exported.forget(adopted.map((a) => a.collectionId));
    const waiting = pendingAdoptions(plan, mirror, this.declinedAdoptions);
    const adoptedCount = adopted.reduce((n, a) => n + a.adopted, 0);
    this.post({
      type: 'applied',
      position: sync.position,
      counts: { ...plan.counts, created: Math.max(0, plan.counts.created - result.notCreated), ...(adoptedCount > 0 ? { adopted: adoptedCount } : {}) },
      problems,
      orphans: this.orphans,
      durationMs: Math.round(busyMs),
      ...(sync.at !== undefined ? { at: sync.at } : {}),
      ...(waiting.length > 0 ? { adoptions: waiting } : {}),
      ...(adopted.length > 0 ? { adopted } : {}),
    });
    if (putBack) this.postDrift('reset', putBack.summary, putBack.problems);
    if (checkAfter) void this.queueDriftCheck();
    this.armDriftCheck();
  }

  /** Hands an applied grid to the cache: only one the window checked against the relay's hash, of a linked file. */
  private offerToCache(sync: PendingSync): void {
    const link = this.link;
    if (!link || sync.hash === undefined) return;
    if (!this.fileId) this.fileId = this.documents.ensureFileId(this.options.random);
    const fileId = this.fileId;
    const entry = { relayUrl: link.relayUrl, channelId: link.channelId, position: sync.position, hash: sync.hash, grid: sync.grid };
    this.cacheWriter.offer(fileId, entry, sync.snapshot === true);
  }

  /** The cached grid belongs to the old link: drop it and any write still waiting. */
  private async forgetCachedGrid(): Promise<void> {
    if (this.fileId) await this.cacheWriter.forget(this.fileId);
  }

  private async removeOrphans(variableIds: string[]): Promise<void> {
    const mirror = await this.loadMirror();
    const result = await removeOrphans(variableIds, this.orphans, mirror, this.scheduler, this.options.chunkBudgetMs);
    if (result.removed > 0) this.host.commitUndo();
    this.orphans = result.remaining;
    this.post({ type: 'orphans-removed', removed: result.removed, orphans: this.orphans });
  }

  private async saveSettings(settings: PluginSettings): Promise<void> {
    this.settings = { ...settings };
    await this.settingsStore.save(settings);
    // Turning review off applies what was waiting for approval.
    if (!settings.review && this.pending) await this.approve();
  }
}

function sum(values: number[]): number {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

/** Starts the main thread: listens to the UI and serves it until the plugin closes. */
export function startPlugin(host: PluginHost, options: PluginOptions = {}): PluginHandle {
  const plugin = new SyncPlugin(host, options);
  host.ui.onmessage = (message: unknown) => plugin.receive(message);
  return { idle: () => plugin.idle(), cacheResults: () => plugin.cacheResults, checkDrift: () => plugin.queueDriftCheck(), stop: () => plugin.stop() };
}
