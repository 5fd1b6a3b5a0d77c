// The work of one token export, the same on the thread serving sockets (small grids) and on the tokens
// worker (large ones): the channel's snapshot message → its grid → the shared mapper (px numbers as
// DTCG dimensions) → exportTokens → the answer as bytes (the JSON bundle, and every file's text for a
// `file=` request), so whoever serves it only writes bytes. Exactly what the plugin maps: the grid is
// built from the snapshot as the plugin builds it (shared/protocol/grid.ts applyChange).

import { gzipSync } from 'node:zlib';
import { LIMITS } from '../shared/protocol/limits';
import { applyChange, emptyGrid } from '../shared/protocol/grid';
import { mapGrid } from '../shared/sheet/mapper';
import type { SnapshotMessage, TokensAnswer } from '../shared/protocol/messages';
import { exportTokens, type TokenExportOptions } from '../shared/tokens/export-tokens';
import { utf8Bytes } from './wire-messages';

export interface TokensJob {
  channelId: string;
  /** The channel's snapshot message (UTF-8 JSON, as relay/snapshots.ts shares it). */
  snapshot: Uint8Array;
  /** Checked options (checkTokenOptions). */
  options: TokenExportOptions;
  /** Largest export served, its files' bytes together. */
  maxBytes: number;
}

/** Where one file's text lies in `fileBytes`. */
export interface TokensFileRef {
  path: string;
  mediaType: string;
  offset: number;
  length: number;
}

interface Position {
  epoch: string;
  seq: number;
  hash: string;
  /** Every mode name of every tab, the default modes first. */
  modes: string[];
}

export type TokensOutcome =
  | (Position & {
      outcome: 'ready';
      /** The TokensAnswer as UTF-8 JSON. */
      bundle: Uint8Array;
      /** The same, gzipped (for clients that accept it: DTCG JSON shrinks some 15-20 times). */
      bundleGzip: Uint8Array;
      files: TokensFileRef[];
      fileBytes: Uint8Array;
      errorCount: number;
      warningCount: number;
    })
  /** The query names a mode no tab has. */
  | (Position & { outcome: 'unknown-mode' })
  /** The files would pass `maxBytes` (`bytes` undefined: the worker ran out of memory making them). */
  | (Position & { outcome: 'too-large'; bytes: number | undefined });

/** Maps the snapshot and exports it as the options say. Pure apart from its allocations. */
export function exportFromSnapshot(job: TokensJob): TokensOutcome {
  const text = Buffer.from(job.snapshot.buffer, job.snapshot.byteOffset, job.snapshot.byteLength).toString('utf8');
  const snapshot = JSON.parse(text) as SnapshotMessage;
  const grid = applyChange(emptyGrid(), { kind: 'snapshot', tabs: snapshot.tabs });
  const mapped = mapGrid(grid, { units: true });
  const modes = modeNames(mapped.collections);
  const position: Position = { epoch: snapshot.epoch, seq: snapshot.seq, hash: snapshot.hash, modes };
  const { options } = job;
  if (options.mode !== undefined && !modes.includes(options.mode)) return { ...position, outcome: 'unknown-mode' };
  const exported = exportTokens(mapped.collections, options);
  const lengths = exported.files.map((f) => Buffer.byteLength(f.text, 'utf8'));
  const bytes = lengths.reduce((a, b) => a + b, 0);
  if (bytes > job.maxBytes) return { ...position, outcome: 'too-large', bytes };
  const problems = [...mapped.problems, ...exported.problems];
  const errorCount = problems.filter((p) => p.severity === 'error').length;
  const answer: TokensAnswer = {
    channelId: job.channelId,
    epoch: snapshot.epoch,
    seq: snapshot.seq,
    hash: snapshot.hash,
    format: options.format,
    ...(options.layout === undefined ? {} : { layout: options.layout }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    files: exported.files.map((f) => ({ path: f.path, mediaType: f.mediaType, text: f.text })),
    problems: problems.slice(0, LIMITS.maxReportedErrors),
    errorCount,
    warningCount: problems.length - errorCount,
    collections: mapped.collections.length,
    variables: mapped.collections.reduce((n, c) => n + c.variables.length, 0),
  };
  // Every file's text in one buffer of its own, so it crosses threads as one transfer.
  const fileBytes = new Uint8Array(bytes);
  const writer = Buffer.from(fileBytes.buffer);
  let offset = 0;
  const files = exported.files.map((f, i) => {
    const ref: TokensFileRef = { path: f.path, mediaType: f.mediaType, offset, length: lengths[i]! };
    writer.write(f.text, offset, 'utf8');
    offset += ref.length;
    return ref;
  });
  const bundle = utf8Bytes(JSON.stringify(answer));
  // Level 1: nearly the size of the best level at a third of the time (4 MB of DTCG: 7 ms → 225 KB).
  const bundleGzip = new Uint8Array(gzipSync(bundle, { level: 1 }));
  return { ...position, outcome: 'ready', bundle, bundleGzip, files, fileBytes, errorCount, warningCount: answer.warningCount };
}

function modeNames(collections: readonly { modes: readonly { name: string }[] }[]): string[] {
  const names = new Set<string>();
  for (const c of collections) if (c.modes[0]) names.add(c.modes[0].name);
  for (const c of collections) for (const m of c.modes) names.add(m.name);
  return [...names];
}
