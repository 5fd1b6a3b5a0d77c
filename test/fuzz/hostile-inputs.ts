// Generators of hostile input for the relay: change bodies that are almost right (one field of the
// wrong type, a huge number, deep nesting, bad UTF-8, truncation, stray bytes), wrong or replayed
// signatures, odd encodings, random routes and raw bytes, and socket messages of every wrong kind.
// Each generated action is plain data, so fast-check prints and shrinks it.

import fc from 'fast-check';
import { PROTOCOL_VERSION } from '../../shared/protocol/limits';

export const enc = new TextEncoder();

/**
 * Makes a generated value print as a short description in fast-check's reports (a counterexample
 * of 200 kB of nesting or padding would bury the failure).
 */
export function brief<T extends object>(value: T, describe: (v: T) => string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => describe(value), enumerable: false });
  return value;
}

const preview = (text: string): string => (text.length > 80 ? `${JSON.stringify(text.slice(0, 60))}… (${text.length} chars)` : JSON.stringify(text));

/** Bytes shown as their first characters and their length. */

/** One line describing a generated action: its fields, long text and bytes cut short. */
export function describeAction(action: object): string {
  const parts = Object.entries(action).map(([k, v]) => {
    if (v instanceof Uint8Array) return `${k}: bytes ${preview(Buffer.from(v).toString('latin1'))}`;
    if (typeof v === 'string') return `${k}: ${preview(v)}`;
    const text = JSON.stringify(v) ?? String(v);
    return `${k}: ${text.length > 120 ? `${text.slice(0, 100)}… (${text.length} chars)` : text}`;
  });
  return `{ ${parts.join(', ')} }`;
}

// --- A change that is almost right ------------------------------------------------------------

const cell = fc.oneof(
  fc.constant(''),
  fc.string({ unit: 'grapheme', maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
);

const range = fc.record({
  row: fc.integer({ min: 1, max: 60 }),
  col: fc.integer({ min: 1, max: 12 }),
  values: fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
});

/** A well-formed patch whose hash is random (so the relay can only refuse it with 409). */
export const wellFormedChange = fc.record({
  v: fc.constant(PROTOCOL_VERSION),
  id: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/),
  kind: fc.constant('patch'),
  tabs: fc.uniqueArray(
    fc.record({ tabId: fc.integer({ min: 0, max: 2 ** 31 - 1 }), name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), ranges: fc.array(range, { minLength: 1, maxLength: 3 }) }),
    { maxLength: 3, selector: (t) => t.tabId },
  ),
  hash: fc.stringMatching(/^[0-9a-f]{64}$/),
});

/** Values that are wrong almost anywhere in a change. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, -0, 1.5, 2 ** 53 + 1, Number.MAX_VALUE, -Number.MAX_VALUE, 1e-320, '', ' ', '0', 'patch', 'snapshot', [], {}, [[]], [null], { __proto__: null }),
  fc.constantFrom('\ud800', '\udfff', 'a\u0000b', '\u202e', '\ufeff', 'x'.repeat(50_001), '🙂'.repeat(300)),
  fc.integer({ min: -(2 ** 31), max: 2 ** 40 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
);

/** Every path into a JSON value (up to `limit`), for replacing one place of a change. */
function paths(value: unknown, limit = 200): (string | number)[][] {
  const out: (string | number)[][] = [[]];
  const walk = (v: unknown, at: (string | number)[]): void => {
    if (out.length >= limit || v === null || typeof v !== 'object') return;
    for (const key of Array.isArray(v) ? v.keys() : Object.keys(v)) {
      const next = [...at, key];
      out.push(next);
      walk((v as Record<string | number, unknown>)[key], next);
    }
  };
  walk(value, []);
  return out;
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<string | number, unknown>;
  copy[path[0]!] = replaceAt(copy[path[0]!], path.slice(1), replacement);
  return copy;
}

function removeAt(value: unknown, path: (string | number)[]): unknown {
  if (path.length === 0) return undefined;
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as object) }) as Record<string | number, unknown>;
  if (path.length === 1) delete copy[path[0]!];
  else copy[path[0]!] = removeAt(copy[path[0]!], path.slice(1));
  return copy;
}

/** Marker replaced in the JSON text by nesting too deep to build as a value. */
const DEEP = '"__deep__"';

type TextEdit =
  | { edit: 'replace'; at: number; with: unknown }
  | { edit: 'remove'; at: number }
  | { edit: 'unknown-field'; at: number; key: string }
  | { edit: 'deep'; at: number; depth: number }
  | { edit: 'truncate'; keep: number }
  | { edit: 'garbage'; text: string }
  | { edit: 'literal'; text: string }
  | { edit: 'none' };

const textEdit: fc.Arbitrary<TextEdit> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ edit: fc.constant('replace' as const), at: fc.nat(), with: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ edit: fc.constant('remove' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ edit: fc.constant('unknown-field' as const), at: fc.nat(), key: fc.constantFrom('__proto__', 'constructor', 'extra', 'V', 'Kind') }) },
  { weight: 1, arbitrary: fc.record({ edit: fc.constant('deep' as const), at: fc.nat(), depth: fc.integer({ min: 100, max: 20_000 }) }) },
  { weight: 1, arbitrary: fc.record({ edit: fc.constant('truncate' as const), keep: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ edit: fc.constant('garbage' as const), text: fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      edit: fc.constant('literal' as const),
      text: fc.constantFrom('', 'null', '[]', '{}', 'NaN', '{"v":2,"v":2}', '{"tabs":Infinity}', '1e400', '"\\ud800"', '\ufeff{}', '{"kind":"patch",', '['.repeat(2000), 'true false'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ edit: 'none' as const }) },
);

function applyTextEdit(change: unknown, e: TextEdit): string {
  const all = paths(change);
  const pick = (at: number): (string | number)[] => all[at % all.length]!;
  switch (e.edit) {
    case 'replace':
      return JSON.stringify(replaceAt(change, pick(e.at), e.with)) ?? '';
    case 'remove':
      return JSON.stringify(removeAt(change, pick(e.at))) ?? '';
    case 'unknown-field': {
      const objects = all.filter((p) => {
        let v: unknown = change;
        for (const k of p) v = (v as Record<string | number, unknown>)[k];
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      });
      const target = objects[e.at % objects.length]!;
      let v: unknown = change;
      for (const k of target) v = (v as Record<string | number, unknown>)[k];
      const text = JSON.stringify(replaceAt(change, target, { ...(v as object), x: 1 }));
      // JSON.stringify would drop a __proto__ key set by assignment: write the key into the text.
      return text.replace('"x":1', `${JSON.stringify(e.key)}:1`);
    }
    case 'deep':
      return JSON.stringify(replaceAt(change, pick(e.at), '__deep__')).replace(DEEP, '['.repeat(e.depth) + ']'.repeat(e.depth));
    case 'truncate': {
      const text = JSON.stringify(change);
      return text.slice(0, e.keep % text.length);
    }
    case 'garbage':
      return JSON.stringify(change) + e.text;
    case 'literal':
      return e.text;
    case 'none':
      return JSON.stringify(change);
  }
}

type ByteEdit = { bytes: 'as-is' } | { bytes: 'invalid-utf8'; at: number; seq: number[] } | { bytes: 'random'; data: Uint8Array };

const invalidUtf8: fc.Arbitrary<number[]> = fc.constantFrom<number[]>([0xff], [0xc3, 0x28], [0xe2, 0x28, 0xa1], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xc0, 0xaf], [0x80], [0xfe, 0xfe, 0xff, 0xff]);

const byteEdit: fc.Arbitrary<ByteEdit> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ bytes: 'as-is' as const }) },
  { weight: 2, arbitrary: fc.record({ bytes: fc.constant('invalid-utf8' as const), at: fc.nat(), seq: invalidUtf8 }) },
  { weight: 1, arbitrary: fc.record({ bytes: fc.constant('random' as const), data: fc.uint8Array({ maxLength: 200 }) }) },
);

function applyByteEdit(text: string, e: ByteEdit): Uint8Array {
  const bytes = enc.encode(text);
  if (e.bytes === 'as-is') return bytes;
  if (e.bytes === 'random') return e.data;
  const at = bytes.length === 0 ? 0 : e.at % bytes.length;
  return Uint8Array.from([...bytes.subarray(0, at), ...e.seq, ...bytes.subarray(at)]);
}

/** The body of an almost-right change, as bytes. */
export const hostileChangeBody: fc.Arbitrary<Uint8Array> = fc
  .tuple(wellFormedChange, textEdit, byteEdit)
  .map(([change, t, b]) => applyByteEdit(applyTextEdit(change, t), b));

/** A body over `limit` bytes (whitespace-padded valid JSON or filler). */
export const oversizedBody = (limit: number): fc.Arbitrary<Uint8Array> =>
  fc.integer({ min: limit + 1, max: limit * 3 }).map((size) => {
    const out = new Uint8Array(size).fill(0x20);
    out[0] = 0x7b; // "{"
    out[size - 1] = 0x7d; // "}"
    return out;
  });

// --- Signatures -------------------------------------------------------------------------------

export type SignatureVariant =
  | { sig: 'none' }
  | { sig: 'timestamp-not-digits'; timestamp: string }
  | { sig: 'no-v1-prefix'; hex: string }
  | { sig: 'skewed'; byMs: number }
  | { sig: 'not-hex'; text: string }
  | { sig: 'other-secret' }
  | { sig: 'other-path' }
  | { sig: 'other-body'; extra: string }
  | { sig: 'other-method' };

export const signatureVariant: fc.Arbitrary<SignatureVariant> = fc.oneof(
  fc.constant({ sig: 'none' as const }),
  fc.record({ sig: fc.constant('timestamp-not-digits' as const), timestamp: fc.oneof(fc.constantFrom('', '-1', '1.5', '1e12', ' 1', '12345678901234567'), fc.string({ maxLength: 20 }).filter((s) => !/^\d{1,16}$/.test(s))) }),
  fc.record({ sig: fc.constant('no-v1-prefix' as const), hex: fc.stringMatching(/^[0-9a-f]{0,80}$/) }),
  // A second of margin each side of the 5-minute limit: the relay reads its clock a little later.
  fc.record({ sig: fc.constant('skewed' as const), byMs: fc.oneof(fc.integer({ min: 301_000, max: 10 ** 12 }), fc.integer({ min: -(10 ** 12), max: -301_000 })) }),
  fc.record({ sig: fc.constant('not-hex' as const), text: fc.string({ maxLength: 70 }).filter((s) => !/^[0-9a-fA-F]{64}$/.test(s)) }),
  fc.constant({ sig: 'other-secret' as const }),
  fc.constant({ sig: 'other-path' as const }),
  fc.record({ sig: fc.constant('other-body' as const), extra: fc.string({ minLength: 1, maxLength: 4 }) }),
  fc.constant({ sig: 'other-method' as const }),
);

// --- Routes and raw bytes --------------------------------------------------------------------

const segment = fc.oneof(
  fc.constantFrom('v1', 'channels', 'changes', 'status', 'socket', 'healthz', '..', '.', '%2e%2e', '%00', '%ff', '', 'a'.repeat(65), 'A'.repeat(16), '__proto__'),
  fc.stringMatching(/^[A-Za-z0-9_%.~-]{0,30}$/),
);

export const hostileRoute = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND'),
  path: fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/${s.join('/')}`),
  contentType: fc.constantFrom('application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', ''),
  body: fc.uint8Array({ maxLength: 300 }),
});

export const rawBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 300 }),
  fc.constantFrom('GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'POST /v1 HTTP/1.1\r\nContent-Length: -1\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nHost\r\n\r\n', '\0\0\0\0\r\n\r\n', 'GET /\u0001 HTTP/1.1\r\n\r\n').map((s) => enc.encode(s)),
);

// --- Socket messages ---------------------------------------------------------------------------

/** A first message that is anything but a proper hello. */
export const hostileFirstMessage: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  fc.uint8Array({ minLength: 1, maxLength: 40 }),
  fc.constantFrom('{"type":"ping"}', '{"type":"applied","seq":1,"errors":[]}', '{"type":"resync"}', '{"type":"hello"}', '{"type":"hello","v":1,"token":"abc"}', '{"type":"hello","v":"1","token":"abc"}', '[', '{"type":"hello","v":2,"token":"a b"}'),
  fc.record({ type: fc.constant('hello'), v: fc.constant(PROTOCOL_VERSION), token: fc.string({ maxLength: 300 }), since: fc.option(fc.record({ epoch: fc.string({ maxLength: 70 }), seq: fc.oneof(fc.integer(), fc.double()) }), { nil: undefined }) }).map((m) => JSON.stringify(m)),
  fc.integer({ min: 1, max: 40 }).map((depth) => '['.repeat(depth * 1000) + ']'.repeat(depth * 1000)),
);

/** A message after a good hello that breaks the protocol. */
export const hostileLaterMessage: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.uint8Array({ minLength: 1, maxLength: 40 }),
  fc.constantFrom('{"type":"hello","v":2,"token":"again"}', '{"type":"applied","seq":-1,"errors":[]}', '{"type":"applied","seq":1.5,"errors":[]}', '{"type":"applied","seq":1}', '{"type":"pong"}', '{"type":"ping","x":1}'),
  fc
    .record({ seq: fc.oneof(fc.integer(), fc.constant(2 ** 60)), count: fc.integer({ min: 0, max: 700 }), message: fc.string({ maxLength: 1200 }) })
    .map(({ seq, count, message }) => JSON.stringify({ type: 'applied', seq, errors: Array.from({ length: count }, () => ({ tab: 'T', cell: 'A1', severity: 'error', message })) })),
  fc.integer({ min: 256 * 1024 + 1, max: 900 * 1024 }).map((size) => `{"type":"ping","pad":"${'x'.repeat(size)}"}`),
);
