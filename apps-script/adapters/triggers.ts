// TriggerPort over ScriptApp: this user's installable triggers for the document. Apps Script allows
// an add-on one trigger of each type per user per document, so each is created only when missing.

import type { TriggerPort } from '../core/ports';
import { HANDLERS } from '../core/trigger-handlers';

export { HANDLERS };

const OURS = new Set<string>(Object.values(HANDLERS));

export function triggerPort(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): TriggerPort {
  const handlers = () => ScriptApp.getUserTriggers(ss).map((t) => t.getHandlerFunction());
  return {
    ensure(): string[] {
      const existing = new Set(handlers());
      const created: string[] = [];
      if (!existing.has(HANDLERS.edit)) {
        ScriptApp.newTrigger(HANDLERS.edit).forSpreadsheet(ss).onEdit().create();
        created.push(HANDLERS.edit);
      }
      if (!existing.has(HANDLERS.change)) {
        ScriptApp.newTrigger(HANDLERS.change).forSpreadsheet(ss).onChange().create();
        created.push(HANDLERS.change);
      }
      if (!existing.has(HANDLERS.hourly)) {
        // Add-ons may run time-driven triggers at most hourly.
        ScriptApp.newTrigger(HANDLERS.hourly).timeBased().everyHours(1).create();
        created.push(HANDLERS.hourly);
      }
      return created;
    },
    remove(): number {
      let n = 0;
      for (const trigger of ScriptApp.getUserTriggers(ss)) {
        if (!OURS.has(trigger.getHandlerFunction())) continue;
        ScriptApp.deleteTrigger(trigger);
        n++;
      }
      return n;
    },
    present(): boolean {
      const existing = new Set(handlers());
      return existing.has(HANDLERS.edit) && existing.has(HANDLERS.change);
    },
    mine() {
      return ScriptApp.getUserTriggers(ss)
        .filter((t) => OURS.has(t.getHandlerFunction()))
        .map((t) => ({ handler: t.getHandlerFunction(), uid: t.getUniqueId() }));
    },
    projectCount(): number {
      // "Gets all installable triggers associated with the current project and current user."
      return ScriptApp.getProjectTriggers().length;
    },
  };
}
