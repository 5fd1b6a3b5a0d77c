// The messages between the main thread and an ingest worker (relay/ingest-worker.ts), one job each.

import type { ErrorCode } from '../shared/protocol/errors';
import type { ChunkRef } from '../shared/protocol/grid-digest';
import type { Change } from '../shared/protocol/messages';
import type { IngestHead, IngestOptions } from './ingest-work';
import type { OfferCheck } from './offer-check';
import type { ChunkDrop, TabRecord } from './store';

export type WorkerRequest =
  /** Parse this UTF-8 body and apply it to the head (chunk texts absent: the worker asks for those it needs). */
  | { type: 'start'; job: number; body: Uint8Array; head: IngestHead; options: IngestOptions }
  /** The texts asked for, in the order asked. */
  | { type: 'texts'; job: number; refs: ChunkRef[]; texts: string[] }
  /** The channel moved on: apply the same change to this newer head. */
  | { type: 'rehead'; job: number; head: IngestHead }
  /** Check a complete offer's text (a job of its own: answered by one `offer-checked`). */
  | { type: 'offer'; job: number; id: string; text: string }
  /** Forget the job. */
  | { type: 'end'; job: number };

/** A ready change as the worker hands it over: chunk texts are slices of one transferred buffer. */
export interface WorkerReady {
  type: 'ready';
  job: number;
  change: Pick<Change, 'id' | 'kind' | 'hash' | 'title'>;
  at: number;
  hash: string;
  bytes: number;
  tabs: TabRecord[];
  removedTabs: number[];
  dropChunks: ChunkDrop[];
  chunks: (ChunkRef & { offset: number; length: number })[];
  chunkBytes: Uint8Array;
  /** The history entry (UTF-8). */
  message: Uint8Array;
  /** A snapshot change's snapshot message (UTF-8). */
  snapshot: Uint8Array | undefined;
}

export type WorkerReply =
  | WorkerReady
  | { type: 'missing'; job: number; missing: ChunkRef[] }
  | { type: 'mismatch'; job: number; changeId: string; expected: string; actual: string }
  | { type: 'offer-checked'; job: number; check: OfferCheck }
  | { type: 'failed'; job: number; code: ErrorCode; detail: string | undefined; internal?: string };
