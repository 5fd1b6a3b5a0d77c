// The wire protocol (v2): every request body and socket message as a type and a runtime schema.
// Sender and receiver import the same definitions; parse* functions are where data enters a process.

import * as v from 'valibot';
import { LIMITS, PROTOCOL_VERSION } from './limits';
import type { CellValue, Rows } from './grid';

// ---------------------------------------------------------------------------------------------
// Building blocks

const CHANNEL_ID_RE = /^[A-Za-z0-9_-]{16,64}$/;
const CHANGE_ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const HASH_RE = /^[0-9a-f]{64}$/;
const BASE64URL_RE = /^[A-Za-z0-9_-]+$/;

/** Whether a string is a well-formed channel id (URL-safe, 16-64 characters). */
export const isChannelId = (id: string): boolean => CHANNEL_ID_RE.test(id);

const int = (what: string, min: number, max: number) =>
  v.pipe(
    v.number(`${what} must be a number`),
    v.integer(`${what} must be a whole number`),
    v.minValue(min, `${what} must be ≥ ${min}`),
    v.maxValue(max, `${what} must be ≤ ${max}`),
  );

// Cell messages follow the cell's path ("tabs[0].values[3][1] must be …"), so they name no field.
const CellSchema = v.union(
  [
    v.pipe(v.string(), v.maxLength(LIMITS.maxCellChars, `must be at most ${LIMITS.maxCellChars} characters`)),
    v.pipe(v.number(), v.finite('must be a finite number')),
    v.boolean(),
  ],
  'must be a string, a finite number or a boolean',
);
const RowsSchema = v.array(v.array(CellSchema, 'must be an array of cells'), 'must be an array of rows');

const TabIdSchema = int('tabId', 0, 2 ** 31 - 1);
const TabNameSchema = v.pipe(
  v.string('name must be a string'),
  v.minLength(1, 'name must not be empty'),
  v.maxLength(LIMITS.maxTabNameChars, `name must be at most ${LIMITS.maxTabNameChars} characters`),
);
const HashSchema = v.pipe(v.string('hash must be a string'), v.regex(HASH_RE, 'hash must be 64 lowercase hex characters'));
const EpochSchema = v.pipe(
  v.string('epoch must be a string'),
  v.minLength(1, 'epoch must not be empty'),
  v.maxLength(64, 'epoch must be at most 64 characters'),
);
const SeqSchema = int('seq', 0, Number.MAX_SAFE_INTEGER);

const RangeSchema = v.strictObject({
  row: int('row', 1, LIMITS.maxRow),
  col: int('col', 1, LIMITS.maxColumn),
  values: RowsSchema,
});

const RangesTabSchema = v.strictObject({
  tabId: TabIdSchema,
  name: TabNameSchema,
  ranges: v.pipe(v.array(RangeSchema, 'ranges must be an array'), v.minLength(1, 'ranges must not be empty')),
});
const ValuesTabSchema = v.strictObject({ tabId: TabIdSchema, name: TabNameSchema, values: RowsSchema });
const TabShapeSchema = v.custom<never>(() => false, 'must be {tabId, name, ranges} or {tabId, name, values}');
const hasKey = (input: unknown, key: string): boolean => typeof input === 'object' && input !== null && key in input;
// Chosen by key rather than a union, so a bad field deep inside a tab is named by its own path
// ("tabs[0].ranges[2].row must be ≥ 1") instead of one "matches no option" message for the tab.
const ChangeTabSchema = v.lazy((input) => {
  const ranges = hasKey(input, 'ranges');
  if (ranges === hasKey(input, 'values')) return TabShapeSchema; // neither, both, or not an object
  return ranges ? RangesTabSchema : ValuesTabSchema;
});

function uniqueTabIds(tabs: { tabId: number }[]): boolean {
  return new Set(tabs.map((t) => t.tabId)).size === tabs.length;
}

// ---------------------------------------------------------------------------------------------
// Add-on → relay (HTTP)

export const ChangeSchema = v.pipe(
  v.strictObject({
    v: v.literal(PROTOCOL_VERSION, `v must be ${PROTOCOL_VERSION}`),
    id: v.pipe(v.string('id must be a string'), v.regex(CHANGE_ID_RE, 'id must be 1-64 characters of A-Z a-z 0-9 _ . : -')),
    kind: v.picklist(['patch', 'snapshot'], 'kind must be "patch" or "snapshot"'),
    tabs: v.pipe(
      v.array(ChangeTabSchema, 'tabs must be an array'),
      v.maxLength(LIMITS.maxTabs, `tabs must list at most ${LIMITS.maxTabs} tabs`),
      v.check((tabs) => uniqueTabIds(tabs), 'tabs must not list the same tabId twice'),
    ),
    hash: HashSchema,
    /** Unix ms when the add-on's handler started: lets the plugin show the edit-to-applied delay. */
    at: v.optional(int('at', 0, Number.MAX_SAFE_INTEGER)),
    /** The spreadsheet's title, shown by the plugin. */
    title: v.optional(
      v.pipe(v.string('title must be a string'), v.maxLength(LIMITS.maxTitleChars, `title must be at most ${LIMITS.maxTitleChars} characters`)),
    ),
  }),
  v.check(
    (c) => c.kind === 'patch' || c.tabs.every((t) => 'values' in t),
    'a snapshot lists every synced tab with its full values (no ranges)',
  ),
);

export interface Range {
  row: number;
  col: number;
  values: Rows;
}
export type RangesTab = { tabId: number; name: string; ranges: Range[] };
export type ValuesTab = { tabId: number; name: string; values: Rows };
export type ChangeTab = RangesTab | ValuesTab;

/** One change from the sheet: a patch (some tabs) or a snapshot (all synced tabs). */
export interface Change {
  v: typeof PROTOCOL_VERSION;
  id: string;
  kind: 'patch' | 'snapshot';
  tabs: ChangeTab[];
  hash: string;
  at?: number;
  title?: string;
}

export const RegisterSchema = v.strictObject({
  secret: v.pipe(
    v.string('secret must be a string'),
    v.minLength(43, 'secret must be at least 43 base64url characters (32 random bytes)'),
    v.maxLength(512, 'secret must be at most 512 characters'),
    v.regex(BASE64URL_RE, 'secret must be base64url text'),
  ),
  /** The claim the channel id is derived from (shared/protocol/channel-claim.ts): required unless the request is signed. */
  claim: v.optional(
    v.pipe(
      v.string('claim must be a string'),
      v.minLength(43, 'claim must be at least 43 base64url characters (32 random bytes)'),
      v.maxLength(128, 'claim must be at most 128 characters'),
      v.regex(BASE64URL_RE, 'claim must be base64url text'),
    ),
  ),
});
/** Body of `PUT /v2/channels/:id`. `claim` proves the id on a first claim or a re-claim (unsigned); a rotation (signed) needs none. */
export interface RegisterRequest {
  secret: string;
  claim?: string;
}

/** 200 answer to `POST /v2/channels/:id/changes`. `duplicate` is true when the change id was already applied. */
export interface ChangeAccepted {
  epoch: string;
  seq: number;
  hash: string;
  duplicate?: boolean;
}

/** 409 answer (HASH_MISMATCH) to a patch: the relay's hash after applying it, and the sheet's. */
export interface HashMismatchBody {
  error: { code: 'HASH_MISMATCH'; message: string; detail?: string };
  expected: string;
  actual: string;
}

/** 200/201 answer to `PUT /v2/channels/:id`. */
export interface Registered {
  channelId: string;
  epoch: string;
  seq: number;
  rotated: boolean;
}

// ---------------------------------------------------------------------------------------------
// Problems (the mapper's and the plugin's; carried in `applied` and shown in the sidebar)

export const ProblemSchema = v.strictObject({
  tab: v.pipe(v.string('tab must be a string'), v.maxLength(200, 'tab must be at most 200 characters')),
  cell: v.pipe(v.string('cell must be a string'), v.maxLength(20, 'cell must be at most 20 characters')),
  severity: v.picklist(['error', 'warning'], 'severity must be "error" or "warning"'),
  message: v.pipe(v.string('message must be a string'), v.maxLength(1000, 'message must be at most 1000 characters')),
  code: v.optional(v.pipe(v.string('code must be a string'), v.maxLength(64, 'code must be at most 64 characters'))),
});
/** A problem pointing at one cell: `tab` is the tab name, `cell` A1 like "B7" ("" for the whole tab). */
export interface Problem {
  tab: string;
  cell: string;
  severity: 'error' | 'warning';
  message: string;
  code?: string;
}

export const ApplyCountsSchema = v.strictObject({
  created: int('created', 0, 1e9),
  updated: int('updated', 0, 1e9),
  unchanged: int('unchanged', 0, 1e9),
  removed: v.optional(int('removed', 0, 1e9)),
  adopted: v.optional(int('adopted', 0, 1e9)),
});
export interface ApplyCounts {
  created: number;
  updated: number;
  unchanged: number;
  removed?: number;
  /** Existing variables this apply adopted (their collection was made by hand or another tool). */
  adopted?: number;
}

// ---------------------------------------------------------------------------------------------
// Offers: a Figma file's variables as sheet tabs, sent by the plugin for the sheet to import

const OfferIdSchema = v.pipe(v.string('id must be a string'), v.regex(CHANGE_ID_RE, 'id must be 1-64 characters of A-Z a-z 0-9 _ . : -'));

export const OfferSchema = v.strictObject({
  id: OfferIdSchema,
  file: v.strictObject({
    name: v.pipe(v.string('name must be a string'), v.maxLength(200, 'name must be at most 200 characters')),
  }),
  at: int('at', 0, Number.MAX_SAFE_INTEGER),
  collections: v.pipe(
    v.array(
      v.strictObject({
        collectionId: v.pipe(
          v.string('collectionId must be a string'),
          v.minLength(1, 'collectionId must not be empty'),
          v.maxLength(LIMITS.maxOfferIdChars, `collectionId must be at most ${LIMITS.maxOfferIdChars} characters`),
        ),
        name: TabNameSchema,
        modes: v.pipe(
          v.array(v.pipe(v.string('modes must be strings'), v.maxLength(100, 'must be at most 100 characters')), 'modes must be an array'),
          v.minLength(1, 'modes must list at least one mode'),
          v.maxLength(40, 'modes must list at most 40 modes'),
        ),
        variables: int('variables', 0, 1e6),
        values: RowsSchema,
      }),
      'collections must be an array',
    ),
    v.minLength(1, 'collections must list at least one collection'),
    v.maxLength(LIMITS.maxOfferCollections, `collections must list at most ${LIMITS.maxOfferCollections} collections`),
  ),
  problems: v.optional(
    v.pipe(v.array(ProblemSchema, 'problems must be an array'), v.maxLength(LIMITS.maxReportedErrors, `problems must list at most ${LIMITS.maxReportedErrors} problems`)),
  ),
});

/** One collection of an offer: one tab in the sheet format, `values` its rows, header first. */
export interface OfferCollection {
  /** Figma's id of the collection, so importing and syncing the tab adopts that very collection. */
  collectionId: string;
  /** The tab's name (the collection's). */
  name: string;
  /** Mode names, the default mode first (the tab's mode columns). */
  modes: string[];
  /** Rows, one per variable. */
  variables: number;
  /** The tab's cells as a sheet's getValues() gives them; the same cell rules as a change's values. */
  values: Rows;
}

/** A Figma file's variables offered to the sheet (docs/protocol.md "Offers"). */
export interface Offer {
  id: string;
  file: { name: string };
  /** Unix ms when the plugin made it. */
  at: number;
  collections: OfferCollection[];
  /** What the export could not carry (the sheet shows them with the offer). */
  problems?: Problem[];
}

/** What `/status` lists of an offer the channel holds. */
export interface OfferListing {
  id: string;
  fileName: string;
  collections: number;
  variables: number;
  /** Bytes of the offer's JSON text. */
  bytes: number;
  at: number;
  expiresAt: number;
}

// ---------------------------------------------------------------------------------------------
// Plugin → relay (socket)

const PositionSchema = v.strictObject({ epoch: EpochSchema, seq: SeqSchema });
/** Where a client stands in a channel's history. */
export interface Position {
  epoch: string;
  seq: number;
}

export const ClientMessageSchema = v.variant(
  'type',
  [
    v.strictObject({
      type: v.literal('hello'),
      v: v.literal(PROTOCOL_VERSION, `v must be ${PROTOCOL_VERSION}`),
      token: v.pipe(
        v.string('token must be a string'),
        v.minLength(1, 'token must not be empty'),
        v.maxLength(256, 'token must be at most 256 characters'),
        v.regex(BASE64URL_RE, 'token must be base64url text'),
      ),
      since: v.optional(PositionSchema),
      /** Who is connecting, shown in the sheet's sidebar: the Figma file's name and a session id. */
      client: v.optional(
        v.strictObject({
          name: v.optional(v.pipe(v.string('name must be a string'), v.maxLength(200, 'name must be at most 200 characters'))),
          session: v.optional(v.pipe(v.string('session must be a string'), v.maxLength(64, 'session must be at most 64 characters'))),
        }),
      ),
    }),
    v.strictObject({
      type: v.literal('applied'),
      seq: SeqSchema,
      errors: v.pipe(v.array(ProblemSchema, 'errors must be an array'), v.maxLength(LIMITS.maxReportedErrors, `errors must list at most ${LIMITS.maxReportedErrors} problems`)),
      errorCount: v.optional(int('errorCount', 0, 1e9)),
      counts: v.optional(ApplyCountsSchema),
      /** Unix ms when the plugin finished applying. */
      at: v.optional(int('at', 0, Number.MAX_SAFE_INTEGER)),
    }),
    v.strictObject({ type: v.literal('ping') }),
    /** The client's grid disagrees with a hash it received: send me a snapshot. */
    v.strictObject({ type: v.literal('resync') }),
    /** One slice (`part` of `parts`, in order) of an Offer's JSON text. */
    v.strictObject({
      type: v.literal('offer'),
      id: OfferIdSchema,
      part: int('part', 0, LIMITS.maxOfferParts - 1),
      parts: int('parts', 1, LIMITS.maxOfferParts),
      text: v.string('text must be a string'),
    }),
  ],
  'type must be "hello", "applied", "ping", "resync" or "offer"',
);

export type HelloMessage = { type: 'hello'; v: typeof PROTOCOL_VERSION; token: string; since?: Position; client?: { name?: string; session?: string } };
export type AppliedMessage = { type: 'applied'; seq: number; errors: Problem[]; errorCount?: number; counts?: ApplyCounts; at?: number };
export type OfferPartMessage = { type: 'offer'; id: string; part: number; parts: number; text: string };
export type ClientMessage = HelloMessage | AppliedMessage | { type: 'ping' } | { type: 'resync' } | OfferPartMessage;

// ---------------------------------------------------------------------------------------------
// Relay → plugin (socket)

export interface WelcomeMessage {
  type: 'welcome';
  v: typeof PROTOCOL_VERSION;
  channelId: string;
  epoch: string;
  /** The channel's latest seq; what follows brings the client to it. */
  seq: number;
  title?: string;
  /** What the client gets next: the missed patches, a snapshot, or nothing (already current). */
  recovery: 'patches' | 'snapshot' | 'current';
}
export interface SnapshotMessage {
  type: 'snapshot';
  epoch: string;
  seq: number;
  tabs: ValuesTab[];
  hash: string;
  at?: number;
  title?: string;
}
export interface PatchMessage {
  type: 'patch';
  epoch: string;
  seq: number;
  /** The change id the add-on chose. */
  id: string;
  tabs: ChangeTab[];
  hash: string;
  at?: number;
}
/** The relay keeps the offer until `expiresAt` (unix ms). */
export interface OfferedMessage {
  type: 'offered';
  id: string;
  expiresAt: number;
}
/** The relay refused the offer (the socket stays open); `code` is from shared/protocol/errors.ts. */
export interface OfferRefusedMessage {
  type: 'offer-refused';
  id: string;
  code: string;
  message: string;
}
export type ServerMessage = WelcomeMessage | SnapshotMessage | PatchMessage | { type: 'pong' } | OfferedMessage | OfferRefusedMessage;

export const ServerMessageSchema = v.variant('type', [
  v.object({
    type: v.literal('welcome'),
    v: v.number(),
    channelId: v.string(),
    epoch: EpochSchema,
    seq: SeqSchema,
    title: v.optional(v.string()),
    recovery: v.picklist(['patches', 'snapshot', 'current']),
  }),
  v.object({
    type: v.literal('snapshot'),
    epoch: EpochSchema,
    seq: SeqSchema,
    tabs: v.array(ValuesTabSchema),
    hash: HashSchema,
    at: v.optional(v.number()),
    title: v.optional(v.string()),
  }),
  v.object({
    type: v.literal('patch'),
    epoch: EpochSchema,
    seq: SeqSchema,
    id: v.string(),
    tabs: v.array(ChangeTabSchema),
    hash: HashSchema,
    at: v.optional(v.number()),
  }),
  v.object({ type: v.literal('pong') }),
  v.object({ type: v.literal('offered'), id: v.string(), expiresAt: v.number() }),
  v.object({ type: v.literal('offer-refused'), id: v.string(), code: v.string(), message: v.string() }),
]);

// ---------------------------------------------------------------------------------------------
// Status (`GET /v2/channels/:id/status`, signed)

export interface ClientStatus {
  /** A relay-assigned id for this connection. */
  id: string;
  name?: string;
  connectedAt: number;
  appliedSeq?: number;
  appliedAt?: number;
  errors: Problem[];
  errorCount: number;
  counts?: ApplyCounts;
}
export interface ChannelStatus {
  channelId: string;
  epoch: string;
  seq: number;
  hash: string;
  title?: string;
  /** Up to a cap of the connected clients, oldest first (see `clientCount`). */
  clients: ClientStatus[];
  /** How many clients are connected, listed or not (the relay always sends it; optional for readers of older answers). */
  clientCount?: number;
  /** Offers the channel holds, newest first (absent from relays without offers). */
  offers?: OfferListing[];
}

// ---------------------------------------------------------------------------------------------
// Tokens (`GET /v2/channels/:id/tokens`, with the subscribe token as Authorization: Bearer)

/** The token formats and DTCG layouts a client may ask for (shared/tokens/export-tokens.ts makes them). */
export const TOKENS_FORMATS = ['dtcg', 'json', 'css'] as const;
export const TOKENS_LAYOUTS = ['resolver', 'single'] as const;
/** The query parameters `GET …/tokens` takes; any other is refused (BAD_REQUEST). */
export const TOKENS_QUERY_PARAMETERS = ['format', 'layout', 'mode', 'file'] as const;

/** One token file, as `exportTokens` makes it: `path` relative with "/" separators. */
export interface TokensFile {
  path: string;
  mediaType: string;
  text: string;
}

/** 200 answer to `GET /v2/channels/:id/tokens` without `file=` (docs/protocol.md "Tokens"). */
export interface TokensAnswer {
  channelId: string;
  /** The position and canonical hash of the grid the files were made from. */
  epoch: string;
  seq: number;
  hash: string;
  format: (typeof TOKENS_FORMATS)[number];
  /** DTCG only: the layout given or defaulted. */
  layout?: (typeof TOKENS_LAYOUTS)[number];
  mode?: string;
  files: TokensFile[];
  /** The sheet's mapping problems, then the export's; at most 500 (the counts count them all). */
  problems: Problem[];
  errorCount: number;
  warningCount: number;
  /** Collections (tabs) and variables mapped, as `check` counts them. */
  collections: number;
  variables: number;
}

// Loose objects: the relay may add fields to its answers (see "Versions" in docs/protocol.md).
const AnswerProblemSchema = v.object({
  tab: v.string('tab must be a string'),
  cell: v.string('cell must be a string'),
  severity: v.picklist(['error', 'warning'], 'severity must be "error" or "warning"'),
  message: v.string('message must be a string'),
  code: v.optional(v.string('code must be a string')),
});
const count = (what: string) => int(what, 0, Number.MAX_SAFE_INTEGER);

export const TokensAnswerSchema = v.object({
  channelId: v.pipe(v.string('channelId must be a string'), v.regex(CHANNEL_ID_RE, 'channelId must be 16-64 characters of A-Z a-z 0-9 _ -')),
  epoch: EpochSchema,
  seq: SeqSchema,
  hash: HashSchema,
  format: v.picklist(TOKENS_FORMATS, `format must be one of ${TOKENS_FORMATS.join(', ')}`),
  layout: v.optional(v.picklist(TOKENS_LAYOUTS, `layout must be one of ${TOKENS_LAYOUTS.join(', ')}`)),
  mode: v.optional(v.string('mode must be a string')),
  files: v.array(
    v.object({
      path: v.pipe(v.string('path must be a string'), v.minLength(1, 'path must not be empty')),
      mediaType: v.string('mediaType must be a string'),
      text: v.string('text must be a string'),
    }),
    'files must be an array',
  ),
  problems: v.array(AnswerProblemSchema, 'problems must be an array'),
  errorCount: count('errorCount'),
  warningCount: count('warningCount'),
  collections: count('collections'),
  variables: count('variables'),
});

// ---------------------------------------------------------------------------------------------
// Parsing at the edges

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

/** Renders a valibot issue as "tabs[0].ranges[2].row must be ≥ 1"; `subject` names the whole input. */
export function describeIssue(issue: v.BaseIssue<unknown>, subject = 'input'): string {
  let path = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    const name = typeof key === 'number' ? '' : shortFieldName(String(key));
    path += typeof key === 'number' ? `[${key}]` : path ? `.${name}` : name;
  }
  // strictObject reports a missing field and an unknown one alike ("Invalid key"); `expected` tells them
  // apart. A loose object (an answer a newer relay may add to) reports only missing fields so.
  if ((issue.type === 'strict_object' || issue.type === 'object') && issue.message.startsWith('Invalid key')) {
    return issue.expected === 'never' ? `${path} is not a known field` : `${path} is missing`;
  }
  let message = issue.message;
  // valibot's own wording ("Invalid type: …", where a schema names no message), or a variant's message
  // (about its discriminator) when the input is no object at all: say what the value must be.
  if (message.startsWith('Invalid type') || (!path && issue.expected === 'Object')) {
    message = `must be ${describeExpected(issue.expected ?? '')}`;
  } else {
    // Our messages start with the field's own name ("row must be ≥ 1"); put the full path in its place.
    const last = issue.path?.[issue.path.length - 1] as { key: unknown } | undefined;
    if (path && last && typeof last.key === 'string' && message.startsWith(`${last.key} `)) {
      message = message.slice(last.key.length + 1);
    }
  }
  if (path) return `${path} ${message}`;
  return message.startsWith('must ') ? `${subject} ${message}` : message;
}

/** Field names come from the sender (an unknown key can be megabytes long): name at most 40 characters of one. */
function shortFieldName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}

/** valibot's `expected` ("Object", "string", '("a" | "b")') in words: 'an object', '"a" or "b"'. */
function describeExpected(expected: string): string {
  const words: Record<string, string> = { Object: 'an object', Array: 'an array', string: 'a string', number: 'a number', boolean: 'a boolean' };
  const options = expected.replace(/^\((.*)\)$/, '$1').split(' | ').map((o) => words[o] ?? o);
  return options.length > 1 ? `${options.slice(0, -1).join(', ')} or ${options[options.length - 1]}` : options[0]!;
}

function parseWith<T>(schema: v.GenericSchema<unknown, unknown>, input: unknown, subject: string): Parsed<T> {
  const result = v.safeParse(schema, input, { abortEarly: true });
  if (result.success) return { ok: true, value: result.output as T };
  return { ok: false, message: describeIssue(result.issues[0], subject) };
}

export const parseChange = (input: unknown): Parsed<Change> => parseWith<Change>(ChangeSchema, input, 'change');
export const parseRegister = (input: unknown): Parsed<RegisterRequest> => parseWith<RegisterRequest>(RegisterSchema, input, 'body');
export const parseClientMessage = (input: unknown): Parsed<ClientMessage> => parseWith<ClientMessage>(ClientMessageSchema, input, 'message');
export const parseServerMessage = (input: unknown): Parsed<ServerMessage> => parseWith<ServerMessage>(ServerMessageSchema, input, 'message');
export const parseOffer = (input: unknown): Parsed<Offer> => parseWith<Offer>(OfferSchema, input, 'offer');
export const parseTokensAnswer = (input: unknown): Parsed<TokensAnswer> => parseWith<TokensAnswer>(TokensAnswerSchema, input, 'answer');

/** Parses JSON text without throwing. */
export function parseJson(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return { ok: false, message: `not valid JSON: ${(err as Error).message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Paths

export const paths = {
  channel: (id: string) => `/v2/channels/${id}`,
  changes: (id: string) => `/v2/channels/${id}/changes`,
  status: (id: string) => `/v2/channels/${id}/status`,
  socket: (id: string) => `/v2/channels/${id}/socket`,
  offer: (id: string, offerId: string) => `/v2/channels/${id}/offers/${offerId}`,
  tokens: (id: string) => `/v2/channels/${id}/tokens`,
} as const;

export type { CellValue, Rows };
