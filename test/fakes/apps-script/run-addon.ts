// Runs the built add-on (dist/apps-script/Code.js) the way Apps Script does: each execution in a
// fresh node:vm context whose globals are fakes of the services it uses, as a given user in a
// given AuthMode, calling top-level functions by name. One AddonWorld is one spreadsheet with its
// document properties, its users (each with user properties, triggers and authorization) and a
// clock. Sheet actions (edit, paste, insert rows, rename a tab, …) change the fake document and
// then fire the installable triggers every user has, each as its owner, as Sheets would.
//
//   const world = createAddonWorld({ users: ['owner@example.com'] });
//   world.allowInsecureRelay();                       // the test flag: http://127.0.0.1 relays
//   const state = world.run('owner@example.com', 'connect', [relayUrl]);
//   world.edit('owner@example.com', 'Colors', 'B2', [['#ff0000']]);
//   …
//   await world.close();

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Script, createContext } from 'node:vm';
import { ES2020_PRELUDE } from './es2020-runtime';
import { gasError } from './gas-error';
import { fakeHtmlService, fakeUi, type MenuRecord, type SidebarRecord } from './html-service';
import { fakeLockService, LockState } from './lock';
import { FakePropertyStore } from './properties';
import { AUTH_MODE, fakeScriptApp, type AuthModeName, type TriggerRecord } from './script-app';
import { FakeSpreadsheet, type FakeSheet } from './spreadsheet';
import { SyncHttp } from './sync-http';
import { fakeUrlFetchApp, type FetchRecord } from './url-fetch';
import { fakeUtilities } from './utilities';

export const DIST_DIR = join(__dirname, '..', '..', '..', 'dist', 'apps-script');

/** The document property key the add-on reads for the test-only http:// permission. */
export const INSECURE_FLAG = 'ALLOW_INSECURE_RELAY_FOR_TESTS';

const scripts = new Map<string, Script>();
function compiled(code: string): Script {
  let script = scripts.get(code);
  if (!script) {
    script = new Script(code, { filename: 'Code.js' });
    scripts.set(code, script);
  }
  return script;
}

/** An error thrown by the script, brought into the test's realm with its name, message and code. */
export class ExecutionError extends Error {
  constructor(
    message: string,
    readonly scriptName: string,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'ExecutionError';
  }
}

export interface ExecutionRecord {
  id: number;
  user: string;
  functionName: string;
  authMode: AuthModeName;
  error?: string;
  /** The script left the document lock held (Apps Script releases it at the end anyway). */
  leftLockHeld: boolean;
}

export interface WorldOptions {
  /** The built add-on (Code.js, Sidebar.html); defaults to dist/apps-script. */
  distDir?: string;
  /** A script to run instead of the built Code.js (for testing the fakes themselves). */
  code?: string;
  users?: string[];
  title?: string;
  /** UrlFetchApp gives up after this long (Apps Script: about 60 s). */
  fetchTimeoutMs?: number;
}

export interface RunOptions {
  authMode?: AuthModeName;
  /** The event object passed as the first argument (triggers). */
  event?: Record<string, unknown>;
  /**
   * Runs outside any document, as an add-on's time-driven trigger may (see clockTriggerDocument):
   * getActiveSpreadsheet() and getActive() give null, LockService.getDocumentLock() gives null
   * (documented "null if called from a standalone script"), getDocumentProperties() gives null.
   */
  withoutDocument?: boolean;
}

/** The scopes of appsscript.json a user can leave unticked on Google's granular consent screen. */
export const SCOPES = {
  currentSheet: 'https://www.googleapis.com/auth/spreadsheets.currentonly',
  externalRequest: 'https://www.googleapis.com/auth/script.external_request',
  scriptApp: 'https://www.googleapis.com/auth/script.scriptapp',
  containerUi: 'https://www.googleapis.com/auth/script.container.ui',
} as const;

export class AddonWorld {
  readonly spreadsheet: FakeSpreadsheet;
  readonly documentProperties: FakePropertyStore;
  readonly scriptProperties: FakePropertyStore;
  readonly userProperties = new Map<string, FakePropertyStore>();
  readonly triggers: TriggerRecord[] = [];
  /** Users whose authorization is REQUIRED (e.g. a new version asks for more scopes). */
  readonly needsAuthorization = new Set<string>();
  /**
   * Scopes a user left unticked on the granular consent screen ("Some script executions can start
   * without a user's consent to all required scopes", AuthorizationInfo reference): their
   * authorization is REQUIRED, and the services needing those scopes refuse.
   */
  readonly ungrantedScopes = new Map<string, Set<string>>();
  /**
   * Whether an add-on's time-driven trigger runs with the document: Google's pages do not say, and
   * third-party reports say getActiveSpreadsheet() is null there. Tests run both worlds.
   */
  clockTriggerDocument: 'present' | 'absent' = 'present';
  readonly locks = { document: new LockState(), script: new LockState(), user: new LockState() };
  readonly menus: MenuRecord[] = [];
  readonly sidebars: SidebarRecord[] = [];
  readonly fetches: FetchRecord[] = [];
  readonly executions: ExecutionRecord[] = [];
  /** Every global service member the script touched ("SpreadsheetApp.getUi"), in order, since resetCounters(). */
  readonly touched: string[] = [];
  /** Service calls made by the script ("Range.getValues" → n), since the last resetCounters(). */
  readonly calls = new Map<string, number>();
  readonly users: string[];
  /** Whether UrlFetchApp passes a hand-set Content-Encoding header on (docs silent: tests try both). */
  urlFetchContentEncoding: 'passed' | 'dropped' = 'passed';
  /** Added to the real clock: the scripts' Date.now(). Keep it within the relay's 5-minute skew. */
  clockOffsetMs = 0;

  private readonly code: string;
  readonly distDir: string;
  private readonly http = new SyncHttp();
  private readonly fetchTimeoutMs: number;
  private nextExecution = 1;
  private nextTrigger = 1;
  private inExecution = false;

  constructor(options: WorldOptions = {}) {
    this.distDir = options.distDir ?? DIST_DIR;
    this.code = options.code ?? readFileSync(join(this.distDir, 'Code.js'), 'utf8');
    this.users = options.users ?? ['owner@example.com'];
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 60_000;
    const count = this.count;
    this.spreadsheet = new FakeSpreadsheet('fake-spreadsheet-id', options.title ?? 'Design tokens');
    this.spreadsheet.count = count;
    this.documentProperties = new FakePropertyStore('DocumentProperties', count);
    this.scriptProperties = new FakePropertyStore('ScriptProperties', count);
    for (const user of this.users) this.userProperties.set(user, new FakePropertyStore('UserProperties', count));
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  /** Moves the scripts' clock forward (tryLock waits, backoff windows). */
  advance(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** Sets the test-only flag that lets the add-on use a plain-http relay on loopback. */
  allowInsecureRelay(): void {
    this.scriptProperties.data.set(INSECURE_FLAG, 'true');
  }

  resetCounters(): void {
    this.calls.clear();
    this.touched.length = 0;
    this.fetches.length = 0;
  }

  private count = (name: string): void => {
    if (this.inExecution) this.calls.set(name, (this.calls.get(name) ?? 0) + 1);
  };

  /**
   * Runs a top-level function as `user`, in a fresh context, and returns its result as
   * google.script.run would hand it over (JSON). Throws ExecutionError when the script throws.
   */
  run(user: string, functionName: string, args: unknown[] = [], options: RunOptions = {}): unknown {
    if (!this.users.includes(user)) throw new Error(`unknown user ${user}`);
    if (this.inExecution) throw new Error('executions do not nest');
    const authMode = options.authMode ?? 'FULL';
    const id = this.nextExecution++;
    const record: ExecutionRecord = { id, user, functionName, authMode, leftLockHeld: false };
    this.executions.push(record);
    const context = this.context(user, authMode, id, options.withoutDocument ?? false);
    this.inExecution = true;
    try {
      compiled(this.code).runInContext(context);
      const fn = (context as Record<string, unknown>)[functionName];
      if (typeof fn !== 'function') throw gasError(`Script function not found: ${functionName}`);
      const callArgs = options.event ? [options.event, ...args] : args;
      const result = (fn as (...a: unknown[]) => unknown)(...callArgs);
      return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
    } catch (err) {
      const e = err as { name?: string; message?: string; code?: string };
      record.error = `${e?.name ?? 'Error'}: ${e?.message ?? String(err)}`;
      throw new ExecutionError(e?.message ?? String(err), e?.name ?? 'Error', e?.code);
    } finally {
      this.inExecution = false;
      for (const lock of Object.values(this.locks)) {
        if (lock.holder === id) {
          record.leftLockHeld = true;
          lock.holder = undefined; // Apps Script releases locks when the execution ends
        }
      }
    }
  }

  /** The globals of one execution. */
  private context(user: string, authMode: AuthModeName, execution: number, withoutDocument = false): object {
    const none = authMode === 'NONE';
    const full = authMode === 'FULL';
    const denied = (what: string) => gasError(`You do not have permission to call ${what}. Required permissions are not available in AuthMode.${authMode}.`);
    const ungranted = () => this.ungrantedScopes.get(user) ?? new Set<string>();
    const needsAuth = () => this.needsAuthorization.has(user) || ungranted().size > 0;
    /** Throws as Apps Script does when this execution may not call `what` (mode, authorization, an unticked scope). */
    const guardFull = (what: string, scope?: string) => {
      if (!full) throw denied(what);
      if (this.needsAuthorization.has(user)) throw gasError('Authorization is required to perform that action.');
      if (scope && ungranted().has(scope)) throw gasError(`Specified permissions are not sufficient to call ${what}. Required permissions: ${scope}`);
    };
    const doc = this.spreadsheet;
    const sheetsApp = {
      getActiveSpreadsheet: () => {
        this.count('SpreadsheetApp.getActiveSpreadsheet');
        if (none) throw denied('SpreadsheetApp.getActiveSpreadsheet');
        return withoutDocument ? null : doc.asSpreadsheet();
      },
      getActive: () => {
        this.count('SpreadsheetApp.getActive');
        if (none) throw denied('SpreadsheetApp.getActive');
        return withoutDocument ? null : doc.asSpreadsheet();
      },
      getUi: () => fakeUi(user, authMode, this.menus, this.sidebars, this.count),
    };
    const propertiesService = {
      getDocumentProperties: () => {
        if (none) throw denied('PropertiesService.getDocumentProperties');
        return withoutDocument ? null : this.documentProperties.asProperties();
      },
      getScriptProperties: () => {
        if (none) throw denied('PropertiesService.getScriptProperties');
        return this.scriptProperties.asProperties();
      },
      getUserProperties: () => {
        if (none) throw denied('PropertiesService.getUserProperties');
        return this.userProperties.get(user)!.asProperties();
      },
    };
    const sandbox: Record<string, unknown> = {
      SpreadsheetApp: sheetsApp,
      PropertiesService: propertiesService,
      LockService: fakeLockService(this.locks, execution, this.count, (ms) => this.advance(ms), withoutDocument),
      ScriptApp: fakeScriptApp({
        user,
        docId: doc.getId(),
        authMode,
        triggers: this.triggers,
        newUid: () => String(this.nextTrigger++),
        authorizationRequired: needsAuth,
        grantedScopes: () => (this.needsAuthorization.has(user) ? [] : Object.values(SCOPES).filter((scope) => !ungranted().has(scope))),
        count: this.count,
        guard: (what) => guardFull(what, SCOPES.scriptApp),
      }),
      UrlFetchApp: fakeUrlFetchApp({
        http: this.http,
        count: this.count,
        record: (r) => this.fetches.push(r),
        timeoutMs: this.fetchTimeoutMs,
        guard: () => guardFull('UrlFetchApp.fetch', SCOPES.externalRequest),
        contentEncoding: () => this.urlFetchContentEncoding,
      }),
      Utilities: fakeUtilities(this.count, (ms) => this.advance(ms)),
      HtmlService: fakeHtmlService(this.distDir, this.count),
      Logger: { log: () => undefined },
      console: { log: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined },
    };
    // Record every member of a service the script reads, so loading alone can be shown to read none.
    for (const [name, service] of Object.entries(sandbox)) {
      sandbox[name] = new Proxy(service as object, {
        get: (target, key, receiver) => {
          if (this.inExecution && typeof key === 'string') this.touched.push(`${name}.${key}`);
          return Reflect.get(target, key, receiver);
        },
      });
    }
    const context = createContext(sandbox);
    // Apps Script's V8 as far as it is documented: nothing newer than ES2020 (see es2020-runtime.ts).
    compiled(ES2020_PRELUDE).runInContext(context);
    // The scripts' clock: Date.now() follows the world's offset (the add-on reads time only so).
    const now = () => this.now();
    (context as { __now: () => number }).__now = now;
    new Script('Date.now = () => __now();').runInContext(context);
    return context;
  }

  // -------------------------------------------------------------------------------------------
  // Sheet actions as a person does them, then the triggers Sheets fires for them

  /** The user-facing event object common to triggers. */
  private event(owner: string, trigger: TriggerRecord, extra: Record<string, unknown>): Record<string, unknown> {
    return {
      authMode: AUTH_MODE.FULL,
      triggerUid: trigger.uid,
      user: { getEmail: () => owner, getNickname: () => owner.split('@')[0] },
      source: this.spreadsheet.asSpreadsheet(),
      ...extra,
    };
  }

  /** Loads the bundle in a fresh context as Apps Script does before any call, and calls nothing. */
  load(user: string): void {
    this.inExecution = true;
    try {
      compiled(this.code).runInContext(this.context(user, 'NONE', this.nextExecution++));
    } finally {
      this.inExecution = false;
    }
  }

  /** Runs every user's installable trigger of `type` for this document, each as its owner. Returns the errors. */
  fire(type: TriggerRecord['eventType'], extra: (t: TriggerRecord) => Record<string, unknown>): string[] {
    const errors: string[] = [];
    for (const t of this.triggers.filter((x) => x.eventType === type && x.docId === this.spreadsheet.getId())) {
      const withoutDocument = type === 'CLOCK' && this.clockTriggerDocument === 'absent';
      const event = this.event(t.user, t, extra(t));
      if (withoutDocument) delete event.source;
      try {
        this.run(t.user, t.handler, [], { event, withoutDocument });
      } catch (err) {
        errors.push((err as Error).message);
      }
    }
    return errors;
  }

  /**
   * `editor` types or pastes `values` with the top-left cell at `a1` on `tabName` (the sheet grows
   * as the UI makes it), then the edit triggers fire, then the change triggers (EDIT).
   */
  edit(editor: string, tabName: string, a1: string, values: unknown[][], options: { triggers?: boolean } = {}): string[] {
    if (!this.users.includes(editor)) throw new Error(`unknown user ${editor}`);
    const sheet = this.spreadsheet.tab(tabName);
    const m = /^([A-Z]+)(\d+)$/.exec(a1)!;
    let col = 0;
    for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
    const row = Number(m[2]);
    const numRows = values.length;
    const numCols = values[0]?.length ?? 1;
    sheet.ensureSize(row + numRows - 1, col + numCols - 1);
    sheet.getRange(row, col, numRows, numCols).setValues(values);
    this.spreadsheet.activeSheetId = sheet.id;
    // Google documents that edit events may be dropped or coalesced in a burst: `triggers: false` is
    // an edit whose events never came.
    if (options.triggers === false) return [];
    return this.fireEdit(sheet, row, col, numRows, numCols, numRows === 1 && numCols === 1 ? values[0]![0] : undefined);
  }

  /** Fires the edit and change (EDIT) triggers for a rectangle already changed. */
  fireEdit(sheet: FakeSheet, row: number, col: number, numRows: number, numCols: number, value?: unknown): string[] {
    const errors = this.fire('ON_EDIT', () => {
      const range = sheet.getRange(row, col, numRows, numCols);
      // e.value exists only for a single cell edited by typing; the add-on must not rely on it.
      return value === undefined ? { range } : { range, value: String(value) };
    });
    return errors.concat(this.fire('ON_CHANGE', () => ({ changeType: 'EDIT' })));
  }

  /**
   * Inserts rows before `beforeRow` on a tab (INSERT_ROW). The change event names no sheet, and the
   * active sheet need not be the changed one (a script, another user, an API call): `activeTab`
   * leaves another tab active.
   */
  insertRows(tabName: string, beforeRow: number, count: number, activeTab = tabName): string[] {
    const sheet = this.spreadsheet.tab(tabName);
    sheet.insertRowsBefore(beforeRow, count);
    this.spreadsheet.activeSheetId = this.spreadsheet.tab(activeTab).id;
    return this.fire('ON_CHANGE', () => ({ changeType: 'INSERT_ROW' }));
  }

  /** Deletes rows (REMOVE_ROW). */
  deleteRows(tabName: string, position: number, count: number): string[] {
    const sheet = this.spreadsheet.tab(tabName);
    sheet.deleteRows(position, count);
    this.spreadsheet.activeSheetId = sheet.id;
    return this.fire('ON_CHANGE', () => ({ changeType: 'REMOVE_ROW' }));
  }

  /** Renames a tab: Sheets reports it to onChange as OTHER. */
  renameTab(oldName: string, newName: string): string[] {
    const sheet = this.spreadsheet.tab(oldName);
    sheet.setName(newName);
    this.spreadsheet.activeSheetId = sheet.id;
    return this.fire('ON_CHANGE', () => ({ changeType: 'OTHER' }));
  }

  /** Adds a tab (INSERT_GRID) with optional contents. */
  addTab(name: string, values?: unknown[][]): FakeSheet {
    const sheet = this.spreadsheet.addSheet(name);
    if (values?.length) {
      sheet.ensureSize(values.length, values[0]!.length);
      sheet.getRange(1, 1, values.length, values[0]!.length).setValues(values);
    }
    this.spreadsheet.activeSheetId = sheet.id;
    this.fire('ON_CHANGE', () => ({ changeType: 'INSERT_GRID' }));
    return sheet;
  }

  /** Deletes a tab (REMOVE_GRID). */
  removeTab(name: string): string[] {
    this.spreadsheet.deleteSheet(this.spreadsheet.tab(name).asSheet());
    return this.fire('ON_CHANGE', () => ({ changeType: 'REMOVE_GRID' }));
  }

  /** The hourly time-driven triggers fire. */
  hourly(): string[] {
    return this.fire('CLOCK', () => ({ year: 2025, month: 1, hour: 0, minute: 0, second: 0, timezone: 'Etc/UTC' }));
  }

  /** Opens the document: the simple onOpen runs in `authMode` (NONE until the add-on is used here). */
  open(user: string, authMode: AuthModeName = 'LIMITED'): void {
    this.run(user, 'onOpen', [], { authMode, event: { authMode: AUTH_MODE[authMode], source: authMode === 'NONE' ? undefined : this.spreadsheet.asSpreadsheet() } });
  }

  /** A service call count since resetCounters(). */
  callCount(name: string): number {
    return this.calls.get(name) ?? 0;
  }

  close(): Promise<number> {
    return this.http.close();
  }
}

export function createAddonWorld(options: WorldOptions = {}): AddonWorld {
  return new AddonWorld(options);
}
