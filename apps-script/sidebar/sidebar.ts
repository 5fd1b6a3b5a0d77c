// The sidebar's browser script (runs in Google's sandboxed iframe, talks to the add-on via
// google.script.run): keeps the latest SidebarState, runs the owner's actions one at a time and
// re-renders. The relay's status (Figma files, their problems) is asked for on open and every minute.

import type { SidebarOffer } from '../core/offer-import';
import type { SidebarProblem, SidebarState } from '../core/sidebar-state';
import { call, type ServerApi } from './server';
import { render, type Actions, type UiState } from './view';

const REFRESH_EVERY_MS = 60_000;

let state: SidebarState | undefined;
const ui: UiState = { relayUrlDraft: '', keyDraft: '', showKey: false, copied: false, now: Date.now() };

function paint(): void {
  ui.now = Date.now();
  const app = document.getElementById('app');
  if (app) app.replaceChildren(render(state, ui, actions));
}

function adopt(next: SidebarState): void {
  state = next;
  if (!ui.relayUrlDraft && next.relayUrl) ui.relayUrlDraft = next.relayUrl;
}

/** Runs one server call as the current action: buttons show it, errors show under the status. */
async function act<K extends keyof ServerApi>(id: string, name: K, ...args: Parameters<ServerApi[K]>): Promise<void> {
  if (ui.busy) return;
  ui.busy = id;
  ui.error = undefined;
  ui.notice = undefined;
  paint();
  try {
    const result = await call(name, ...args);
    if (result && typeof result === 'object') adopt(result as SidebarState);
  } catch (err) {
    ui.error = (err as Error).message;
  } finally {
    ui.busy = undefined;
    paint();
  }
}

/** Copies a textarea's text; `flag` shows "Copied" for two seconds. */
function copyFrom(areaId: string, text: string | undefined, flag: 'copied' | 'reportCopied'): void {
  const area = document.getElementById(areaId) as HTMLTextAreaElement | null;
  if (!area || !text) return;
  const done = () => {
    ui[flag] = true;
    paint();
    setTimeout(() => {
      ui[flag] = false;
      paint();
    }, 2000);
  };
  // The clipboard API may be refused inside the add-on's iframe; selecting and copying still works.
  const fallback = () => {
    area.select();
    if (document.execCommand('copy')) done();
  };
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(done, fallback);
  else fallback();
}

const copyPairingCode = (): void => copyFrom('pairing-code', state?.pairingCode, 'copied');

/** Runs Check setup: its report is kept apart from the sidebar's state. */
async function checkSetup(): Promise<void> {
  if (ui.busy) return;
  ui.busy = 'check-setup';
  ui.error = undefined;
  paint();
  try {
    ui.report = await call('checkSetup');
  } catch (err) {
    ui.error = (err as Error).message;
  } finally {
    ui.busy = undefined;
    paint();
  }
}

/**
 * Imports an offer: asked once more, naming them, before tabs with content are replaced (the
 * add-on writes nothing until then).
 */
async function importOffer(offer: SidebarOffer): Promise<void> {
  if (ui.busy) return;
  const id = `import-${offer.id}`;
  ui.busy = id;
  ui.error = undefined;
  ui.imported = undefined;
  paint();
  try {
    let answer = await call('importOffer', offer.id, []);
    const replace = answer.result.needsConfirmation;
    if (replace?.length) {
      const ok = confirm(`Replace what these tabs hold now with ${offer.fileName}'s variables?\n\n${replace.join('\n')}\n\nNothing is changed unless you choose OK.`);
      if (!ok) {
        ui.notice = `Nothing was imported: ${replace.join(', ')} keep${replace.length === 1 ? 's' : ''} ${replace.length === 1 ? 'its' : 'their'} content.`;
        return;
      }
      answer = await call('importOffer', offer.id, replace);
    }
    adopt(answer.state);
    ui.imported = answer.result;
  } catch (err) {
    ui.error = (err as Error).message;
  } finally {
    ui.busy = undefined;
    paint();
  }
}

const actions: Actions = {
  importOffer: (offer) => void importOffer(offer),
  closeImport: () => {
    ui.imported = undefined;
    paint();
  },
  connect: () => void act('connect-button', 'connect', ui.relayUrlDraft, ui.showKey ? ui.keyDraft : ''),
  draftRelayUrl: (value) => {
    ui.relayUrlDraft = value;
  },
  draftKey: (value) => {
    ui.keyDraft = value;
  },
  toggleKey: () => {
    ui.showKey = !ui.showKey;
    paint();
  },
  copy: copyPairingCode,
  setTabs: (ids) => void act('tabs', 'setSyncedTabs', ids),
  refresh: () => void act('refresh', 'refreshStatus'),
  syncNow: () => void act('sync-now', 'syncNow'),
  pause: () => void act('pause', 'pauseSync'),
  resume: () => void act('resume', 'resumeSync'),
  rotate: () => {
    if (confirm('Rotate the key? Every Figma file paired with the current code stops receiving changes until it gets the new code.')) void act('rotate', 'rotateKey');
  },
  disconnect: () => {
    if (confirm('Disconnect this sheet? Your triggers are removed and the relay channel is forgotten; Figma files keep what they have.')) void act('disconnect', 'disconnect');
  },
  checkSetup: () => void checkSetup(),
  copyReport: () => copyFrom('setup-report', ui.report?.text, 'reportCopied'),
  select: (problem: SidebarProblem) => {
    call('selectCell', problem.tab, problem.cell).catch((err: Error) => {
      ui.error = err.message;
      paint();
    });
  },
};

function start(): void {
  paint();
  void act('load', 'getSidebarState').then(() => {
    if (state?.connected) void act('refresh', 'refreshStatus');
  });
  setInterval(() => {
    if (state?.connected && !ui.busy && document.visibilityState !== 'hidden') void act('refresh', 'refreshStatus');
    else paint(); // keeps "… min ago" current
  }, REFRESH_EVERY_MS);
}

start();
