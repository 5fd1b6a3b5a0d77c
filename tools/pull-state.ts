// What `pull` keeps beside the files it wrote (`<out>/.sfs-pull.json`): the answer's ETag and what the
// files are (channel, format, layout, mode, position), the list of files, and the problems, so the next
// pull can ask "changed since?" (If-None-Match), say "unchanged" with the same problems and exit status,
// and remove files the sheet no longer makes. Never the pairing code or its token.

import * as v from 'valibot';
import type { Problem } from '../shared/protocol/messages';
import { TOKENS_FORMATS, TOKENS_LAYOUTS } from '../shared/protocol/messages';

export const PULL_STATE_FILE = '.sfs-pull.json';

export interface PullState {
  v: 1;
  relayUrl: string;
  channelId: string;
  format: (typeof TOKENS_FORMATS)[number];
  layout?: (typeof TOKENS_LAYOUTS)[number];
  mode?: string;
  etag: string;
  epoch: string;
  seq: number;
  hash: string;
  /** The files written, relative to the folder, with "/" separators. */
  files: string[];
  problems: Problem[];
  errorCount: number;
  warningCount: number;
  collections: number;
  variables: number;
}

const StateSchema = v.object({
  v: v.literal(1),
  relayUrl: v.string(),
  channelId: v.string(),
  format: v.picklist(TOKENS_FORMATS),
  layout: v.optional(v.picklist(TOKENS_LAYOUTS)),
  mode: v.optional(v.string()),
  etag: v.string(),
  epoch: v.string(),
  seq: v.number(),
  hash: v.string(),
  files: v.array(v.string()),
  problems: v.array(v.object({ tab: v.string(), cell: v.string(), severity: v.picklist(['error', 'warning']), message: v.string(), code: v.optional(v.string()) })),
  errorCount: v.number(),
  warningCount: v.number(),
  collections: v.number(),
  variables: v.number(),
});

/** The state in a file's text, or undefined when it is missing, damaged or of another version (then everything is fetched anew). */
export function readPullState(text: string | undefined): PullState | undefined {
  if (text === undefined) return undefined;
  try {
    const parsed = v.safeParse(StateSchema, JSON.parse(text));
    return parsed.success ? (parsed.output as PullState) : undefined;
  } catch {
    return undefined;
  }
}

export function pullStateText(state: PullState): string {
  return `${JSON.stringify(state, null, 2)}\n`;
}
