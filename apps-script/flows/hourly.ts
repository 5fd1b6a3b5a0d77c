// What the hourly trigger leaves for Check setup: when it last ran for a document and whether it had
// the document. An add-on's time-driven trigger may run without one (getActiveSpreadsheet() null),
// so the document is found from the trigger's id, recorded in the user's properties at Connect.

import type { PropertyStore } from '../core/ports';
import type { Session } from './session';

/** User property: hourly trigger id → document id. */
export const TRIGGER_DOCS_KEY = 'sfs.triggerDocs';
/** User property: document id → the hourly trigger's last run. */
export const HOURLY_RUNS_KEY = 'sfs.hourly';

export interface HourlyRun {
  at: number;
  /** Whether the run had the document (and so could send). */
  document: boolean;
}

function readMap<T>(store: PropertyStore, key: string): Record<string, T> {
  try {
    const v = JSON.parse(store.get(key) ?? '{}') as Record<string, T>;
    return v && typeof v === 'object' ? v : {};
  } catch {
    return {};
  }
}

/** Records this user's hourly trigger ids for the document (after Connect created them). */
export function rememberHourlyTriggers(session: Session, hourlyHandler: string): void {
  const docId = session.ports.sheet.id();
  const map = readMap<string>(session.ports.user, TRIGGER_DOCS_KEY);
  const next = { ...map };
  for (const t of session.ports.triggers.mine()) if (t.handler === hourlyHandler) next[t.uid] = docId;
  if (JSON.stringify(next) !== JSON.stringify(map)) session.ports.user.write({ [TRIGGER_DOCS_KEY]: JSON.stringify(next) }, []);
}

/** Records a run of the hourly trigger; `docId` undefined when it ran without a document (found by trigger id if known). */
export function recordHourlyRun(user: PropertyStore, docId: string | undefined, triggerUid: string | undefined, now: number): void {
  const id = docId ?? (triggerUid ? readMap<string>(user, TRIGGER_DOCS_KEY)[triggerUid] : undefined) ?? 'unknown';
  const runs = readMap<HourlyRun>(user, HOURLY_RUNS_KEY);
  user.write({ [HOURLY_RUNS_KEY]: JSON.stringify({ ...runs, [id]: { at: now, document: docId !== undefined } }) }, []);
}

/** The hourly trigger's last run for a document, as this user's properties know it. */
export function lastHourlyRun(user: PropertyStore, docId: string): HourlyRun | undefined {
  return readMap<HourlyRun>(user, HOURLY_RUNS_KEY)[docId];
}
