// Entry of the Sheets add-on: every function exported here becomes a top-level Apps Script function
// (menu items, triggers, google.script.run calls). Wiring only; the logic lives in its own files.

/** Builds the add-on menu. Runs in AuthMode NONE or LIMITED, so it touches nothing else. */
export function onOpen(_e?: GoogleAppsScript.Events.SheetsOnOpen): void {
  SpreadsheetApp.getUi().createAddonMenu().addItem('Open sidebar', 'openSidebar').addToUi();
}

export function onInstall(e?: GoogleAppsScript.Events.AddonOnInstall): void {
  onOpen(e as unknown as GoogleAppsScript.Events.SheetsOnOpen);
}

export function openSidebar(): void {
  SpreadsheetApp.getUi().showSidebar(HtmlService.createHtmlOutputFromFile('Sidebar').setTitle('Figma sync'));
}
