// Entry of the Sheets add-on: every function exported here becomes a top-level Apps Script function
// (menu items, triggers, google.script.run calls). Wiring only; the logic lives in flows/ and core/.
// Nothing runs at load: each function builds its ports when Apps Script calls it.

import { authPort } from './adapters/authorization';
import { documentLockPort } from './adapters/document-lock';
import { envPort } from './adapters/env';
import { documentStore } from './adapters/properties';
import { editOf, spreadsheetPort } from './adapters/spreadsheet';
import { triggerPort } from './adapters/triggers';
import { buildMenu, showSidebar, toast } from './adapters/ui';
import { urlFetchPort } from './adapters/url-fetch';
import type { SidebarState } from './core/sidebar-state';
import * as actions from './flows/channel-actions';
import { pushEdit } from './flows/edit';
import { Session } from './flows/session';
import { pushSheetChange } from './flows/sheet-change';
import { selectCell as select, sidebarState, stopForReauthorization } from './flows/sidebar';

function session(): Session {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return new Session({
    sheet: spreadsheetPort(ss),
    doc: documentStore(),
    http: urlFetchPort,
    lock: documentLockPort(),
    triggers: triggerPort(ss),
    auth: authPort,
    env: envPort,
  });
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
  const s = session();
  if (stopForReauthorization(s)) return;
  pushEdit(s, editOf(e));
}

export function handleChange(e: GoogleAppsScript.Events.SheetsOnChange): void {
  const s = session();
  if (stopForReauthorization(s)) return;
  pushSheetChange(s, e.changeType, e.source?.getActiveSheet()?.getSheetId());
}

export function retryQueue(_e?: GoogleAppsScript.Events.TimeDriven): void {
  const s = session();
  if (stopForReauthorization(s)) return;
  actions.retryQueue(s);
}

// ---------------------------------------------------------------------------------------------
// google.script.run endpoints of the sidebar

export function getSidebarState(): SidebarState {
  return sidebarState(session(), false);
}

/** Also asks the relay which Figma files are connected and what they applied. */
export function refreshStatus(): SidebarState {
  return sidebarState(session(), true);
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

export function selectCell(tab: unknown, cell: unknown): void {
  select(session(), tab, cell);
}
