// The plugin window's logic without the DOM: pairing, the connection and grid session, the main
// thread's messages, and the view state they produce. ui.ts wires it to the page.

import { decodePairingCode, socketUrl, type PairingLink } from '../../shared/protocol/pairing-code';
import type { CachedGrid, DiagnosticStep, MainToUi, PluginSettings, UiToMain } from '../../shared/plan/plugin-messages';
import type { Position } from '../../shared/protocol/messages';
import { LIMITS } from '../../shared/protocol/limits';
import { offerParts } from '../../shared/protocol/offer-parts';
import { parseJson, parseOffer, type Offer } from '../../shared/protocol/messages';
import { toCsv, toTsv } from '../../shared/sheet/delimited-text';
import { utf8Length } from '../../shared/protocol/utf8';
import { Connection, type Clock, type ConnectionTiming, type OfferAnswer, type OpenSocket, type TimerId, type Transition } from './connection';
import { diagnosticReport } from './diagnostic-report';
import { relayHost } from './format';
import { GridSession } from './grid-session';
import { loopbackAdvice } from './loopback';
import { manifestAllows, type NetworkAccess } from './manifest-allows';
import { probeRelay } from './relay-probe';
import { describeStatus } from './status-text';
import { initialView, type ViewState } from './view-state';

/** What the build tells the window about itself (esbuild defines in scripts/build.mjs). */
export interface About {
  /** The product's version (package.json). */
  version: string;
  /** The manifest's networkAccess, as built: the Diagnostics check the relay against it. */
  networkAccess?: NetworkAccess;
  userAgent?: string;
}

export interface ControllerPorts {
  toMain: (message: UiToMain) => void;
  openSocket: OpenSocket;
  clock: Clock;
  /** Called with the whole view after every change. */
  render: (view: ViewState) => void;
  /** Identifies this plugin window to the relay (shown in the sheet's sidebar). */
  sessionId: string;
  random?: () => number;
  timing?: Partial<ConnectionTiming>;
  about?: About;
}

/** What the designer can do; render binds these to buttons and fields. */
export interface Intents {
  setDraft(text: string): void;
  pair(text: string): void;
  unlink(): void;
  setPaused(paused: boolean): void;
  setReview(review: boolean): void;
  approvePending(): void;
  discardPending(): void;
  removeOrphans(variableIds: string[]): void;
  retryNow(): void;
  tryAgain(): void;
  approveDrift(): void;
  dismissDrift(): void;
  /** Hides the note of drift that was put back (or left while paused). */
  closeDrift(): void;
  openDiagnostics(): void;
  closeDiagnostics(): void;
  /** How copying the report went: copied, or the designer must select and copy it. */
  reportCopied(how: 'copied' | 'select'): void;
  /** Opens "Send this file's variables to the sheet" (also without a sheet: copy and download). */
  openExport(): void;
  closeExport(): void;
  /** Chooses whether a collection is exported. */
  chooseExport(collectionId: string, selected: boolean): void;
  /** Sends the chosen collections to the sheet through the relay. */
  sendExport(): void;
  /** A tab's text: TSV to paste ("Copy as spreadsheet"), CSV to download; undefined when not exported. */
  exportText(collectionId: string, format: 'tsv' | 'csv'): string | undefined;
  /** A tab was copied or downloaded (or the designer must select the text to copy it). */
  exportCopied(collectionId: string, how: 'copied' | 'select' | 'downloaded'): void;
  /** Adopts these collections (one, or all waiting). */
  adopt(collectionIds: string[]): void;
  /** "Not now": leaves them as they are. */
  declineAdoption(collectionIds: string[]): void;
  /** Hides the note of what the last apply adopted. */
  closeAdopted(): void;
}

/** One Diagnostics run: the window's steps and the main thread's answer, joined once both are in. */
interface DiagnosticsRun {
  at: number;
  window?: DiagnosticStep[];
  main?: { steps: DiagnosticStep[]; facts: Record<string, string> };
}

const sameRelayChannel = (a: PairingLink | undefined, b: PairingLink): boolean => !!a && a.relayUrl === b.relayUrl && a.channelId === b.channelId;

export class Controller implements Intents {
  private readonly ports: ControllerPorts;
  private readonly session: GridSession;
  private connection: Connection | undefined;
  private view: ViewState;
  private ticker: TimerId | undefined;
  private diagnosticsRun: DiagnosticsRun | undefined;
  /** The export's offer, parsed once when a tab's text is first asked for. */
  private exportOffer: Offer | undefined;

  constructor(ports: ControllerPorts) {
    this.ports = ports;
    this.view = initialView(ports.clock.now());
    this.session = new GridSession({
      toMain: (message) => this.ports.toMain(message),
      toRelay: (report) => this.connection?.reportApplied(report),
      now: () => this.ports.clock.now(),
      // Paused, live changes are held back: redraw so the count of waiting changes and the title show.
      onSettled: () => this.render(),
    });
  }

  /** Tells the main thread the window is ready for its `init`. */
  start(): void {
    this.ports.toMain({ type: 'ui-ready' });
    this.render();
  }

  get state(): Readonly<ViewState> {
    return this.view;
  }

  // --- The main thread ------------------------------------------------------------------------

  onMainMessage(message: MainToUi): void {
    const view = this.view;
    switch (message.type) {
      case 'init':
        view.fileName = message.fileName;
        view.settings = { ...message.settings };
        view.orphans = message.orphans;
        view.linkHint = message.linkHint;
        this.session.setPaused(message.settings.paused);
        if (message.link) {
          if (!sameRelayChannel(view.link, message.link) || view.link?.token !== message.link.token || !this.connection) {
            view.link = message.link;
            view.screen = 'connected';
            this.connect(message.link, message.position, message.cached);
          }
        } else if (!view.link) {
          view.screen = 'pairing';
        }
        break;
      case 'progress':
        view.progress = { done: message.done, total: message.total };
        break;
      case 'pending':
        // A review the main thread offers for the channel paired before this one is not this sheet's.
        if (!this.session.onMainMessage(message)) break;
        view.pending = { position: message.position, summary: message.summary };
        view.progress = undefined;
        break;
      case 'applied': {
        if (!this.session.onMainMessage(message)) {
          // The previous channel's apply finished after a re-pairing: the file's orphans changed, but
          // its counts and problems are not this sheet's.
          view.orphans = message.orphans;
          view.progress = undefined;
          break;
        }
        const changeAt = this.session.appliedChangeAt;
        const at = this.ports.clock.now();
        view.lastApply = {
          seq: message.position.seq,
          at,
          counts: message.counts,
          durationMs: message.durationMs,
          ...(changeAt !== undefined ? { delayMs: Math.max(0, at - changeAt) } : {}),
        };
        view.problems = message.problems;
        view.orphans = message.orphans;
        view.pending = undefined;
        view.progress = undefined;
        view.mainError = undefined;
        view.adoptions = message.adoptions ?? [];
        view.adopting = undefined;
        if (message.adopted) view.adopted = message.adopted;
        // Drift waiting or left while paused is settled by this apply (it plans against the file as it is).
        if (view.drift && view.drift.state !== 'reset') view.drift = undefined;
        break;
      }
      case 'drift':
        view.drift = message.state === 'none' ? undefined : { state: message.state, summary: message.summary, problems: message.problems };
        view.orphans = message.orphans;
        break;
      case 'diagnosis':
        if (this.diagnosticsRun) {
          this.diagnosticsRun.main = { steps: message.steps, facts: message.facts };
          this.showDiagnostics();
        }
        break;
      case 'orphans-removed':
        view.orphans = message.orphans;
        view.removing = false;
        break;
      case 'export':
        if (view.exporting) {
          this.exportOffer = undefined;
          view.exporting = {
            loading: false,
            choices: message.choices,
            collections: message.collections,
            problems: message.problems,
            problemCount: message.problemCount,
            ...(message.collections.length > 0 ? { offerText: message.offerText, bytes: utf8Length(message.offerText) } : {}),
          };
        }
        break;
      case 'error':
        this.session.onMainMessage(message);
        view.mainError = message.message;
        view.progress = undefined;
        view.removing = false;
        view.adopting = undefined;
        if (view.exporting?.loading) view.exporting.loading = false;
        break;
    }
    this.render();
  }

  // --- Intents ----------------------------------------------------------------------------------

  setDraft(text: string): void {
    // Typing needs no redraw; the field already shows it.
    this.view.draft = text;
  }

  pair(text: string): void {
    const decoded = decodePairingCode(text);
    if (!decoded.ok) {
      this.view.draft = text;
      this.view.pairingError = decoded.message;
      this.render();
      return;
    }
    const link = decoded.link;
    // A new code for the same sheet (after a rotation) resumes where this window stood, with the grid it holds.
    const sameSheet = sameRelayChannel(this.view.link, link);
    const resume = sameSheet ? this.session.applied : undefined;
    this.ports.toMain({ type: 'link-save', link });
    Object.assign(this.view, { link, screen: 'connected', draft: '', pairingError: undefined });
    if (!resume) Object.assign(this.view, { title: undefined, lastApply: undefined, problems: [], pending: undefined });
    this.connect(link, resume, undefined, sameSheet);
    this.render();
  }

  unlink(): void {
    this.disconnect();
    this.session.reset();
    this.ports.toMain({ type: 'link-clear' });
    const { fileName, settings, orphans } = this.view;
    this.view = { ...initialView(this.ports.clock.now()), screen: 'pairing', fileName, settings, orphans };
    this.exportOffer = undefined;
    this.render();
  }

  setPaused(paused: boolean): void {
    this.updateSettings({ paused });
    this.session.setPaused(paused);
    this.render();
  }

  setReview(review: boolean): void {
    this.updateSettings({ review });
    this.render();
  }

  approvePending(): void {
    if (!this.view.pending) return;
    this.ports.toMain({ type: 'approve-pending' });
  }

  discardPending(): void {
    if (!this.view.pending) return;
    this.ports.toMain({ type: 'discard-pending' });
    this.view.pending = undefined;
    this.render();
  }

  removeOrphans(variableIds: string[]): void {
    if (variableIds.length === 0 || this.view.removing) return;
    this.view.removing = true;
    this.ports.toMain({ type: 'remove-orphans', variableIds });
    this.render();
  }

  retryNow(): void {
    this.connection?.retryNow();
  }

  tryAgain(): void {
    this.connection?.start();
  }

  approveDrift(): void {
    if (this.view.drift?.state !== 'review') return;
    this.ports.toMain({ type: 'approve-drift' });
  }

  dismissDrift(): void {
    if (this.view.drift?.state !== 'review') return;
    this.ports.toMain({ type: 'dismiss-drift' });
    this.view.drift = undefined;
    this.render();
  }

  closeDrift(): void {
    if (!this.view.drift || this.view.drift.state === 'review') return;
    this.view.drift = undefined;
    this.render();
  }

  // --- Adoption ---------------------------------------------------------------------------------

  adopt(collectionIds: string[]): void {
    if (collectionIds.length === 0 || this.view.adopting) return;
    this.ports.toMain({ type: 'adopt', collectionIds });
    // The plan changes without the sheet changing: the same grid is applied again, and that plan adopts.
    if (!this.session.reapply()) return;
    this.view.adopting = collectionIds;
    this.render();
  }

  declineAdoption(collectionIds: string[]): void {
    if (collectionIds.length === 0) return;
    this.ports.toMain({ type: 'decline-adoption', collectionIds });
    for (const a of this.view.adoptions) if (collectionIds.includes(a.collectionId)) a.declined = true;
    this.render();
  }

  closeAdopted(): void {
    this.view.adopted = undefined;
    this.render();
  }

  // --- Export -----------------------------------------------------------------------------------

  openExport(): void {
    this.exportOffer = undefined;
    this.view.exporting = { loading: true, choices: [], collections: [], problems: [], problemCount: 0 };
    this.ports.toMain({ type: 'export-request' });
    this.render();
  }

  closeExport(): void {
    this.exportOffer = undefined;
    this.view.exporting = undefined;
    this.render();
  }

  chooseExport(collectionId: string, selected: boolean): void {
    const exporting = this.view.exporting;
    if (!exporting || exporting.loading) return;
    const choices = exporting.choices.map((c) => (c.collectionId === collectionId ? { ...c, selected } : c));
    const chosen = choices.filter((c) => c.selected).map((c) => c.collectionId);
    this.exportOffer = undefined;
    this.view.exporting = { loading: chosen.length > 0, choices, collections: [], problems: [], problemCount: 0 };
    if (chosen.length > 0) this.ports.toMain({ type: 'export-request', collectionIds: chosen });
    this.render();
  }

  sendExport(): void {
    const exporting = this.view.exporting;
    if (!exporting?.offerText || exporting.send?.state === 'sending') return;
    const offer = this.offer();
    if (!offer) return;
    const parts = offerParts(offer.id, exporting.offerText);
    if (parts.length > LIMITS.maxOfferParts) {
      exporting.send = { id: offer.id, state: 'refused', parts: parts.length, code: 'OFFER_TOO_LARGE', message: `The offer is ${parts.length} socket messages long; at most ${LIMITS.maxOfferParts} can be sent. Send fewer collections at a time.` };
    } else if (this.connection?.sendOffer(parts)) {
      exporting.send = { id: offer.id, state: 'sending', parts: parts.length };
    } else {
      exporting.send = { id: offer.id, state: 'lost', parts: parts.length, message: 'The plugin is not connected to the relay; wait for Live, or copy or download the tabs instead.' };
    }
    this.render();
  }

  exportText(collectionId: string, format: 'tsv' | 'csv'): string | undefined {
    const collection = this.offer()?.collections.find((c) => c.collectionId === collectionId);
    if (!collection) return undefined;
    return format === 'tsv' ? toTsv(collection.values) : toCsv(collection.values);
  }

  exportCopied(collectionId: string, how: 'copied' | 'select' | 'downloaded'): void {
    const exporting = this.view.exporting;
    if (!exporting) return;
    exporting.copied = { collectionId, how };
    // Copied or downloaded into a sheet: syncing that sheet later adopts the collection without asking.
    if (how !== 'select') this.ports.toMain({ type: 'exported', collectionIds: [collectionId] });
    this.render();
  }

  private offer(): Offer | undefined {
    const text = this.view.exporting?.offerText;
    if (!text) return undefined;
    if (!this.exportOffer) {
      const json = parseJson(text);
      const parsed = json.ok ? parseOffer(json.value) : json;
      if (!parsed.ok) {
        this.view.mainError = `The export could not be read: ${parsed.message}`;
        return undefined;
      }
      this.exportOffer = parsed.value;
    }
    return this.exportOffer;
  }

  private onOfferAnswer(answer: OfferAnswer): void {
    const send = this.view.exporting?.send;
    if (!send || send.id !== answer.id) return;
    if (answer.type === 'offered') {
      send.state = 'offered';
      send.expiresAt = answer.expiresAt;
      const ids = this.view.exporting!.collections.map((c) => c.collectionId);
      if (ids.length > 0) this.ports.toMain({ type: 'exported', collectionIds: ids });
    } else if (answer.type === 'offer-refused') {
      send.state = 'refused';
      send.code = answer.code;
      send.message = answer.message;
    } else {
      send.state = 'lost';
      send.message = 'The connection to the relay dropped before it answered; send again once the plugin is Live.';
    }
    this.render();
  }

  // --- Diagnostics ------------------------------------------------------------------------------

  /**
   * Runs every step it can: the relay against the manifest, a socket of its own with the pairing
   * code's token (the window's), then the main thread's (variables, document, a scratch write, modes,
   * drift re-read). The view fills in as steps finish; the report is built once all are in.
   */
  openDiagnostics(): void {
    const run: DiagnosticsRun = { at: this.ports.clock.now() };
    this.diagnosticsRun = run;
    this.view.diagnostics = { running: true, steps: [] };
    const link = this.view.link;
    if (!link) {
      const none = 'This file is not linked to a sheet: paste a pairing code first.';
      run.window = [
        { id: 'manifest', title: 'Relay allowed by the manifest', result: 'skipped', detail: none },
        { id: 'socket', title: 'Socket to the relay', result: 'skipped', detail: none },
        { id: 'token', title: 'Pairing code accepted by the relay', result: 'skipped', detail: none },
      ];
    } else {
      const url = socketUrl(link.relayUrl, link.channelId);
      const manifest = this.manifestStep(link.relayUrl, url);
      const position = this.session.position ?? this.session.applied;
      void probeRelay({
        relayUrl: link.relayUrl,
        url,
        token: link.token,
        ...(position ? { since: position } : {}),
        client: { name: 'Diagnostics', session: `${this.ports.sessionId}-diagnostics`.slice(0, 64) },
        openSocket: this.ports.openSocket,
        clock: this.ports.clock,
      }).then((steps) => {
        if (this.diagnosticsRun !== run) return;
        run.window = [manifest, ...steps];
        this.showDiagnostics();
      });
    }
    this.ports.toMain({ type: 'diagnose' });
    this.showDiagnostics();
  }

  closeDiagnostics(): void {
    this.diagnosticsRun = undefined;
    this.view.diagnostics = undefined;
    this.render();
  }

  reportCopied(how: 'copied' | 'select'): void {
    if (!this.view.diagnostics) return;
    this.view.diagnostics.copied = how;
    this.render();
  }

  private manifestStep(relayUrl: string, url: string): DiagnosticStep {
    const title = 'Relay allowed by the manifest';
    const access = this.ports.about?.networkAccess;
    if (!access) return { id: 'manifest', title, result: 'skipped', detail: 'This build does not say which domains its manifest allows.' };
    const socketOrigin = url.replace(/^(wss?:\/\/[^/]+).*$/, '$1');
    const allowance = manifestAllows(access, url);
    if (!allowance.entry) {
      const host = relayHost(relayUrl);
      return {
        id: 'manifest',
        title,
        result: 'failed',
        detail: `No entry of the manifest's networkAccess allows ${socketOrigin}, so Figma blocks it. ${loopbackAdvice(relayUrl) ?? `Rebuild the plugin with RELAY_URL=https://${host}.`}`,
      };
    }
    const dev = allowance.list === 'devAllowedDomains' ? ' (Figma applies devAllowedDomains only while the plugin runs in development, not once published)' : '';
    return { id: 'manifest', title, result: 'ok', detail: `${socketOrigin} is allowed by the ${allowance.list} entry "${allowance.entry}"${dev}.` };
  }

  /** Shows the steps in so far; once the window's and the main thread's are in, the report. */
  private showDiagnostics(): void {
    const run = this.diagnosticsRun;
    if (!run || !this.view.diagnostics) return;
    const steps = [...(run.window ?? []), ...(run.main?.steps ?? [])];
    const running = !run.window || !run.main;
    this.view.diagnostics = { running, steps };
    if (!running) {
      const link = this.view.link;
      const status = describeStatus(this.view.connection, link?.relayUrl ?? '', this.view.settings.paused, this.ports.clock.now());
      this.view.diagnostics.report = diagnosticReport({
        version: this.ports.about?.version ?? 'unknown',
        at: run.at,
        ...(this.ports.about?.userAgent ? { userAgent: this.ports.about.userAgent } : {}),
        ...(link ? { relayUrl: link.relayUrl, channelId: link.channelId } : {}),
        status: status.message ? `${status.label}: ${status.message}` : status.label,
        facts: run.main!.facts,
        steps,
      });
    }
    this.render();
  }

  // --- Connection -------------------------------------------------------------------------------

  /** `keepGrid`: the same sheet again (a new code after a rotation): the grid held stays, so no snapshot is needed. */
  private connect(link: PairingLink, applied: Position | undefined, cached?: CachedGrid, keepGrid = false): void {
    this.disconnect();
    if (!keepGrid) {
      this.session.reset(applied);
      // A grid refused by its hash is simply not used: the window resumes from `applied` as without one.
      if (cached) this.session.seed(cached);
    }
    this.session.setPaused(this.view.settings.paused);
    const connection: Connection = new Connection({
      url: socketUrl(link.relayUrl, link.channelId),
      token: link.token,
      client: { name: this.view.fileName.slice(0, 200), session: this.ports.sessionId.slice(0, 64) },
      store: this.session,
      openSocket: this.ports.openSocket,
      clock: this.ports.clock,
      ...(this.ports.random ? { random: this.ports.random } : {}),
      ...(this.ports.timing ? { timing: this.ports.timing } : {}),
      onTransition: (transition) => {
        if (this.connection === connection) this.onTransition(transition);
      },
      onOfferAnswer: (answer) => {
        if (this.connection === connection) this.onOfferAnswer(answer);
      },
    });
    this.connection = connection;
    connection.start();
  }

  private disconnect(): void {
    const old = this.connection;
    this.connection = undefined;
    old?.stop();
    this.view.connection = undefined;
    this.stopTicker();
  }

  private onTransition(transition: Transition): void {
    this.view.connection = transition;
    if (this.session.title !== undefined) this.view.title = this.session.title;
    if (transition.to === 'waiting-to-reconnect') this.startTicker();
    else this.stopTicker();
    this.render();
  }

  /** Redraws once a second while a reconnect countdown runs, on the second boundaries. */
  private startTicker(): void {
    this.stopTicker();
    const retryAt = this.view.connection?.retryAt;
    if (retryAt === undefined) return;
    const left = retryAt - this.ports.clock.now();
    if (left <= 0) return;
    this.ticker = this.ports.clock.setTimeout(() => {
      this.ticker = undefined;
      this.render();
      this.startTicker();
    }, left % 1000 || 1000);
  }

  private stopTicker(): void {
    if (this.ticker !== undefined) this.ports.clock.clearTimeout(this.ticker);
    this.ticker = undefined;
  }

  private updateSettings(change: Partial<PluginSettings>): void {
    this.view.settings = { ...this.view.settings, ...change };
    this.ports.toMain({ type: 'settings', settings: this.view.settings });
  }

  private render(): void {
    this.view.now = this.ports.clock.now();
    if (this.session.title !== undefined) this.view.title = this.session.title;
    this.view.unapplied = this.session.hasUnapplied;
    this.ports.render(this.view);
  }
}
