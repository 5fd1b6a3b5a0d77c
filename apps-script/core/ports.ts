// What the flows need from Apps Script, as plain interfaces. The adapters implement them over
// SpreadsheetApp, PropertiesService, LockService, UrlFetchApp, ScriptApp and Utilities; the flows
// never touch a Google global, so their logic reads (and could run) without one.

import type { CellValue, Rows } from '../../shared/protocol/grid';
import type { HttpResult } from './relay-answer';
import type { TabRef } from './synced-tabs';

export interface SheetPort {
  /** The spreadsheet's id (keys what a user's properties keep per document). */
  id(): string;
  /** The spreadsheet's name (shown by the plugin). */
  title(): string;
  /** Every tab, in the spreadsheet's order. */
  tabs(): TabRef[];
  /** Row 1 of a tab, converted. */
  header(tabId: number): CellValue[];
  /** A tab's values from A1 to its last cell with content, converted (dates as ISO strings). */
  values(tabId: number): Rows;
  /** Shows a tab and selects a cell ("" selects the tab only); false when the tab is gone. */
  select(tabName: string, cell: string): boolean;
  /** Inserts a tab of that name at the end; its gid. */
  insertTab(name: string): number;
  renameTab(tabId: number, name: string): void;
  /** Clears the tab's content, grows it to fit and writes `rows` (one rectangle) from A1. */
  replaceValues(tabId: number, rows: Rows): void;
  /**
   * Writes cells again as text: formatted as plain text ("@") first, or with a leading apostrophe (what a
   * person types to keep text as text). Row and column are 1-based.
   */
  writeText(tabId: number, cells: readonly { row: number; col: number; text: string }[], how: 'plain-text' | 'apostrophe'): void;
}

export interface PropertyStore {
  getAll(): Record<string, string>;
  get(key: string): string | null;
  write(set: Record<string, string>, remove: readonly string[]): void;
}

export interface HttpRequest {
  method: 'get' | 'post' | 'put';
  url: string;
  headers: Record<string, string>;
  /** JSON text, sent as it is (UTF-8, no Content-Encoding). */
  body?: string;
}

export interface HttpPort {
  fetch(request: HttpRequest): HttpResult;
}

export interface LockPort {
  /** Waits up to `ms` for the document lock; false when another execution kept it. */
  tryLock(ms: number): boolean;
  release(): void;
}

export interface TriggerPort {
  /** Creates this user's edit, change and hourly triggers for the document where missing; returns the handlers created. */
  ensure(): string[];
  /** Deletes this user's triggers of this add-on in the document; returns how many. */
  remove(): number;
  /** Whether this user has the edit and change triggers in the document. */
  present(): boolean;
  /** This user's triggers of this add-on in the document: handler and unique id. */
  mine(): { handler: string; uid: string }[];
  /** Every trigger this user has for this add-on (Apps Script allows 20 per user per script). */
  projectCount(): number;
}

export interface AuthPort {
  /** The URL that re-authorizes the add-on when the user must approve it again (FULL mode), else undefined. */
  reauthorizationUrl(): string | undefined;
  /** ScriptApp.requireAllScopes(FULL): throws (ends the execution) when any scope lacks the user's consent. */
  requireAllScopes(): void;
  /** The scopes the user granted, where the runtime can tell (AuthorizationInfo.getAuthorizedScopes). */
  authorizedScopes(): string[] | undefined;
}

export interface EnvPort {
  now(): number;
  uuid(): string;
  /** In [0, 1): jitter only, never secrets. */
  random(): number;
  /** Lowercase hex SHA-256 of the text's UTF-8 bytes (Utilities.computeDigest: native, fast). */
  sha256Hex(text: string): string;
  /**
   * Lowercase hex HMAC-SHA256 of `text` under `key`, both as UTF-8 (Utilities.computeHmacSha256Signature):
   * what shared/protocol/signing.ts's portable HMAC computes, natively. Each execution starts a fresh script
   * context, so hashing in script runs cold (a 1,000-cell paste's body cost several ms in @noble).
   */
  hmacSha256Hex(key: string, text: string): string;
  /** ALLOW_INSECURE_RELAY_FOR_TESTS is set (only the test fakes set it). */
  allowInsecureRelay(): boolean;
}

export interface Ports {
  sheet: SheetPort;
  doc: PropertyStore;
  /** This user's properties (per user and script: shared by every document the add-on runs in). */
  user: PropertyStore;
  http: HttpPort;
  lock: LockPort;
  triggers: TriggerPort;
  auth: AuthPort;
  env: EnvPort;
}
