// Entry of the Sheets add-on: every function exported here becomes a top-level Apps Script function
// (menu items, triggers, google.script.run calls). Wiring only; the logic lives in flows/ and core/.
// Nothing runs at load: each function builds its ports when Apps Script calls it.

import { authPort } from './adapters/authorization';
import { documentLockPort } from './adapters/document-lock';
import { envPort } from './adapters/env';
import { documentStore, userStore } from './adapters/properties';
import { editOf, spreadsheetPort } from './adapters/spreadsheet';
import { triggerPort } from './adapters/triggers';
import { buildMenu, showSidebar, toast } from './adapters/ui';
import { urlFetchPort } from './adapters/url-fetch';
import type { SetupReport } from './core/setup-report';
import type { SidebarState } from './core/sidebar-state';
import { stopForReauthorization } from './flows/authorization';
import { catchUp } from './flows/catch-up';
import * as actions from './flows/channel-actions';
import { checkSetup as runSetupCheck } from './flows/check-setup';
import { pushEdit } from './flows/edit';
import { recordHourlyRun } from './flows/hourly';
import { Session } from './flows/session';
import { isStructural, pushSheetChange } from './flows/sheet-change';
import { importOffer as runImport } from './flows/offer-import';
import { selectCell as select, sidebarState } from './flows/sidebar';
import type { ImportResult } from './core/offer-import';

/** The execution's view of its document, or undefined outside one (an add-on's time-driven trigger may run so). */
function sessionOrNone(source?: GoogleAppsScript.Spreadsheet.Spreadsheet | null): Session | undefined {
  const ss = source ?? (SpreadsheetApp.getActiveSpreadsheet() as GoogleAppsScript.Spreadsheet.Spreadsheet | null);
  const doc = ss ? documentStore() : undefined;
  if (!ss || !doc) return undefined;
  return new Session({
    sheet: spreadsheetPort(ss),
    doc,
    user: userStore(),
    http: urlFetchPort,
    lock: documentLockPort(),
    triggers: triggerPort(ss),
    auth: authPort,
    env: envPort,
  });
}

/** For the menu and the sidebar, which always run in a document. */
function session(): Session {
  const s = sessionOrNone();
  if (!s) throw new Error('The add-on runs inside a spreadsheet: open it from the Extensions menu of one.');
  return s;
}

// ---------------------------------------------------------------------------------------------
// Simple triggers and the menu

/** Builds the add-on menu. Runs in AuthMode NONE or LIMITED. */
export function onOpen(e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  buildMenu(e?.authMode);
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  buildMenu(e?.authMode);
}

export function openSidebar(): void {
  showSidebar();
}

export function syncNow(): SidebarState {
  const s = session();
  const result = actions.syncNow(s);
  if (result === 'sent') toast('The sheet was sent to the relay.');
  else if (result === 'queued') toast('The relay did not answer; the sheet is queued and will be sent when it does.');
  return sidebarState(s, false);
}

export function pauseSync(): SidebarState {
  const s = session();
  actions.pause(s);
  buildMenu(ScriptApp.AuthMode.FULL);
  return sidebarState(s, false);
}

export function resumeSync(): SidebarState {
  const s = session();
  actions.resume(s);
  buildMenu(ScriptApp.AuthMode.FULL);
  return sidebarState(s, false);
}

/** The menu item built in AuthMode.NONE, which could not know whether sync is paused. */
export function togglePause(): SidebarState {
  return session().state.paused ? resumeSync() : pauseSync();
}

// ---------------------------------------------------------------------------------------------
// Installable triggers (created by Connect, per user)

export function handleEdit(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  const s = sessionOrNone(e.source);
  if (!s || stopForReauthorization(s)) return;
  pushEdit(s, editOf(e));
}

export function handleChange(e: GoogleAppsScript.Events.SheetsOnChange): void {
  // EDIT (the edit trigger's) and FORMAT cost no service call at all: they are most change events.
  if (!isStructural(e?.changeType)) return;
  const s = sessionOrNone(e.source);
  if (!s || stopForReauthorization(s)) return;
  pushSheetChange(s, e.changeType);
}

/** Hourly. Without a document (getActiveSpreadsheet() null) it only notes that it ran: the next edit or the open sidebar sends what waits. */
export function retryQueue(e?: GoogleAppsScript.Events.TimeDriven): void {
  const s = sessionOrNone();
  if (!s) {
    try {
      recordHourlyRun(userStore(), undefined, e?.triggerUid, Date.now());
    } catch {
      // Only Check setup's note is lost; without a document there is nothing else to do or report to.
    }
    return;
  }
  recordHourlyRun(s.ports.user, s.ports.sheet.id(), e?.triggerUid, s.ports.env.now());
  if (stopForReauthorization(s)) return;
  actions.retryQueue(s);
}

// ---------------------------------------------------------------------------------------------
// google.script.run endpoints of the sidebar

/** On open: also sends what waits or changed unreported (edits whose events never came). */
export function getSidebarState(): SidebarState {
  const s = session();
  catchUp(s);
  return sidebarState(s, false);
}

/** Every minute while the sidebar is open: catches up as on open, and asks the relay which Figma files are connected and what they applied. */
export function refreshStatus(): SidebarState {
  const s = session();
  catchUp(s);
  return sidebarState(s, true);
}

export function connect(relayUrl: unknown, registrationKey?: unknown): SidebarState {
  const s = session();
  actions.connect(s, relayUrl, registrationKey);
  return sidebarState(s, false);
}

export function setSyncedTabs(ids: unknown): SidebarState {
  const s = session();
  actions.setSyncedTabs(s, ids);
  return sidebarState(s, false);
}

export function rotateKey(): SidebarState {
  const s = session();
  actions.rotateKey(s);
  return sidebarState(s, false);
}

export function disconnect(): SidebarState {
  const s = session();
  actions.disconnect(s);
  return sidebarState(s, false);
}

/** The sidebar's Check setup: every check, timed, in one report to copy (nothing secret in it). */
export function checkSetup(): SetupReport {
  return runSetupCheck(session());
}

/**
 * The sidebar's Import of a Figma file's offer: its tabs written (a tab with content only when named in
 * `confirmReplace`), then synced. Returns what it did and the sidebar's state, with the relay's status.
 */
export function importOffer(offerId: unknown, confirmReplace?: unknown): { result: ImportResult; state: SidebarState } {
  const s = session();
  const result = runImport(s, offerId, confirmReplace);
  return { result, state: sidebarState(s, true) };
}

export function selectCell(tab: unknown, cell: unknown): void {
  select(session(), tab, cell);
}
