// The add-on menu and the sidebar (HtmlService). The menu is built in onOpen, which may run in
// AuthMode.NONE (the add-on is installed but not yet used in this document): there it cannot read
// properties, so it offers one "Pause or resume" item instead of the one that fits the state.

import { KEYS } from '../core/doc-state';

export const SIDEBAR_TITLE = 'Figma sync';

export function buildMenu(authMode: GoogleAppsScript.Script.AuthMode | undefined): void {
  const menu = SpreadsheetApp.getUi().createAddonMenu().addItem('Open sidebar', 'openSidebar').addItem('Sync now', 'syncNow');
  let paused: boolean | undefined;
  if (authMode !== ScriptApp.AuthMode.NONE) {
    try {
      paused = PropertiesService.getDocumentProperties().getProperty(KEYS.paused) === '1';
    } catch {
      paused = undefined; // not allowed in this mode after all
    }
  }
  if (paused === undefined) menu.addItem('Pause or resume sync', 'togglePause');
  else if (paused) menu.addItem('Resume sync', 'resumeSync');
  else menu.addItem('Pause sync', 'pauseSync');
  menu.addToUi();
}

export function showSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile('Sidebar').setTitle(SIDEBAR_TITLE));
}

/** A short note in the corner of the sheet, for menu actions (which have no sidebar to answer in). */
export function toast(message: string): void {
  SpreadsheetApp.getActiveSpreadsheet().toast(message, SIDEBAR_TITLE, 5);
}
