// Fake ScriptApp: AuthMode and the other enums, authorization info per user, and installable
// triggers with the add-on rules (editor-triggers guide): triggers only for the add-on's own file,
// one trigger of each event type per user per document, time-driven at most hourly, 20 triggers
// per user per script. The "too many time-based triggers" text is Apps Script's as users report
// it; the other event types follow the same pattern.

import { gasError, strictFake } from './gas-error';
import type { CallCounter } from './spreadsheet';

export type AuthModeName = 'NONE' | 'CUSTOM_FUNCTION' | 'LIMITED' | 'FULL';
export type EventTypeName = 'CLOCK' | 'ON_OPEN' | 'ON_EDIT' | 'ON_FORM_SUBMIT' | 'ON_CHANGE';

// Enum members are strings here; scripts only compare them with ===, as with the real enums.
export const AUTH_MODE = { NONE: 'NONE', CUSTOM_FUNCTION: 'CUSTOM_FUNCTION', LIMITED: 'LIMITED', FULL: 'FULL' } as const;
const AUTHORIZATION_STATUS = { REQUIRED: 'REQUIRED', NOT_REQUIRED: 'NOT_REQUIRED' } as const;
const EVENT_TYPE = { CLOCK: 'CLOCK', ON_OPEN: 'ON_OPEN', ON_EDIT: 'ON_EDIT', ON_FORM_SUBMIT: 'ON_FORM_SUBMIT', ON_CHANGE: 'ON_CHANGE', ON_EVENT_UPDATED: 'ON_EVENT_UPDATED' } as const;
const TRIGGER_SOURCE = { SPREADSHEETS: 'SPREADSHEETS', CLOCK: 'CLOCK', FORMS: 'FORMS', DOCUMENTS: 'DOCUMENTS', CALENDAR: 'CALENDAR' } as const;

const TYPE_WORDS: Record<EventTypeName, string> = { CLOCK: 'time-based', ON_OPEN: 'open', ON_EDIT: 'edit', ON_FORM_SUBMIT: 'form submit', ON_CHANGE: 'change' };
export const MAX_TRIGGERS_PER_USER = 20;

export interface TriggerRecord {
  uid: string;
  user: string;
  /** The document the trigger belongs to (time-driven add-on triggers too). */
  docId: string;
  handler: string;
  eventType: EventTypeName;
  everyHours?: number;
}

export interface ScriptAppOptions {
  user: string;
  docId: string;
  authMode: AuthModeName;
  triggers: TriggerRecord[];
  newUid: () => string;
  authorizationRequired: () => boolean;
  /** The scopes this user granted (AuthorizationInfo.getAuthorizedScopes). */
  grantedScopes: () => string[];
  count: CallCounter;
  /** Throws when this execution may not use ScriptApp's trigger methods (mode, authorization). */
  guard: (what: string) => void;
}

function triggerObject(t: TriggerRecord): GoogleAppsScript.Script.Trigger {
  return strictFake<GoogleAppsScript.Script.Trigger>(
    {
      getHandlerFunction: () => t.handler,
      getEventType: () => t.eventType,
      getTriggerSource: () => (t.eventType === 'CLOCK' ? 'CLOCK' : 'SPREADSHEETS'),
      getTriggerSourceId: () => (t.eventType === 'CLOCK' ? null : t.docId),
      getUniqueId: () => t.uid,
      __uid: t.uid,
    },
    'Trigger',
  );
}

export function fakeScriptApp(o: ScriptAppOptions): GoogleAppsScript.Script.ScriptApp {
  const mine = (docId?: string) => o.triggers.filter((t) => t.user === o.user && (docId === undefined || t.docId === docId));

  function create(handler: string, eventType: EventTypeName, docId: string, everyHours?: number): GoogleAppsScript.Script.Trigger {
    o.guard('ScriptApp.newTrigger');
    if (docId !== o.docId) throw gasError('Add-ons can only create triggers for the document in which the add-on is used.');
    if (mine(docId).some((t) => t.eventType === eventType)) {
      throw gasError(`This add-on has created too many ${TYPE_WORDS[eventType]} triggers in this document for this Google user account.`);
    }
    if (mine().length >= MAX_TRIGGERS_PER_USER) throw gasError('This script has too many triggers. Triggers must be deleted from the script before more can be added.');
    const record: TriggerRecord = { uid: o.newUid(), user: o.user, docId, handler, eventType, ...(everyHours ? { everyHours } : {}) };
    o.triggers.push(record);
    return triggerObject(record);
  }

  const app = {
    AuthMode: AUTH_MODE,
    AuthorizationStatus: AUTHORIZATION_STATUS,
    EventType: EVENT_TYPE,
    TriggerSource: TRIGGER_SOURCE,
    getAuthorizationInfo(mode: unknown) {
      o.count('ScriptApp.getAuthorizationInfo');
      if (!Object.values(AUTH_MODE).includes(mode as AuthModeName)) throw gasError('Invalid argument: authMode');
      const required = mode === 'FULL' && o.authorizationRequired();
      return strictFake<GoogleAppsScript.Script.AuthorizationInfo>(
        {
          getAuthorizationStatus: () => (required ? 'REQUIRED' : 'NOT_REQUIRED'),
          getAuthorizationUrl: () => (required ? `https://script.google.com/macros/d/fake-addon/authorize?user=${encodeURIComponent(o.user)}` : null),
          // In the reference ("String[]|null", list of authorized scopes), not yet in @types/google-apps-script.
          getAuthorizedScopes: () => o.grantedScopes(),
        },
        'AuthorizationInfo',
      );
    },
    // "Validates if the user has granted consent for all of the scopes requested by the script … If
    // any consents are missing, then this method ends the current execution and renders an
    // authorization prompt" (ScriptApp reference). How that end looks to google.script.run is not
    // documented: here it throws, as an ended execution reaches the sidebar's failure handler.
    requireAllScopes(mode: unknown) {
      o.count('ScriptApp.requireAllScopes');
      if (!Object.values(AUTH_MODE).includes(mode as AuthModeName)) throw gasError('Invalid argument: authMode');
      if (mode === 'FULL' && o.authorizationRequired()) throw gasError('Authorization is required to perform that action.');
    },
    getUserTriggers(doc: { getId(): string }) {
      o.count('ScriptApp.getUserTriggers');
      o.guard('ScriptApp.getUserTriggers');
      return mine(doc.getId()).map(triggerObject);
    },
    getProjectTriggers() {
      o.count('ScriptApp.getProjectTriggers');
      o.guard('ScriptApp.getProjectTriggers');
      return mine().map(triggerObject);
    },
    deleteTrigger(trigger: { getUniqueId(): string }) {
      o.count('ScriptApp.deleteTrigger');
      o.guard('ScriptApp.deleteTrigger');
      const i = o.triggers.findIndex((t) => t.uid === trigger.getUniqueId() && t.user === o.user);
      if (i < 0) throw gasError('Trigger not found.');
      o.triggers.splice(i, 1);
    },
    newTrigger(handler: string) {
      o.count('ScriptApp.newTrigger');
      o.guard('ScriptApp.newTrigger');
      const builder = {
        forSpreadsheet(ss: string | { getId(): string }) {
          const docId = typeof ss === 'string' ? ss : ss.getId();
          let type: EventTypeName | undefined;
          const b = {
            onEdit: () => ((type = 'ON_EDIT'), sb),
            onChange: () => ((type = 'ON_CHANGE'), sb),
            onOpen: () => ((type = 'ON_OPEN'), sb),
            onFormSubmit: () => ((type = 'ON_FORM_SUBMIT'), sb),
            create: () => {
              if (!type) throw gasError('Missing trigger event type.');
              return create(handler, type, docId);
            },
          };
          const sb = strictFake<GoogleAppsScript.Script.SpreadsheetTriggerBuilder>(b, 'SpreadsheetTriggerBuilder');
          return sb;
        },
        timeBased() {
          let hours: number | undefined;
          const b = {
            everyHours(n: number) {
              if (![1, 2, 4, 6, 8, 12].includes(n)) throw gasError('Invalid argument: hours. Use 1, 2, 4, 6, 8 or 12.');
              hours = n;
              return cb;
            },
            everyMinutes() {
              throw gasError('Add-ons can only create time-driven triggers that run at most once per hour.');
            },
            create() {
              if (!hours) throw gasError('Missing time-based schedule.');
              return create(handler, 'CLOCK', o.docId, hours);
            },
          };
          const cb = strictFake<GoogleAppsScript.Script.ClockTriggerBuilder>(b, 'ClockTriggerBuilder');
          return cb;
        },
      };
      return strictFake<GoogleAppsScript.Script.TriggerBuilder>(builder, 'TriggerBuilder');
    },
  };
  return strictFake<GoogleAppsScript.Script.ScriptApp>(app, 'ScriptApp');
}
