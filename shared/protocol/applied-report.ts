// Builds the plugin's `applied` report so that it always fits in one client message the relay accepts.

import { LIMITS } from './limits';
import type { AppliedMessage, ApplyCounts, Problem } from './messages';
import { utf8Length } from './utf8';

/**
 * Room kept below LIMITS.maxClientMessageBytes: the sizes below are exact for JSON.stringify, the
 * margin only guards against a relay that counts a few bytes differently (framing, a changed field).
 */
export const APPLIED_REPORT_MARGIN_BYTES = 4 * 1024;

/** The largest serialized `applied` report a client sends. */
export const MAX_APPLIED_REPORT_BYTES = LIMITS.maxClientMessageBytes - APPLIED_REPORT_MARGIN_BYTES;

export interface AppliedReportInput {
  seq: number;
  problems: readonly Problem[];
  counts?: ApplyCounts;
  at?: number;
}

/**
 * The `applied` message for a result: lists the first problems, at most LIMITS.maxReportedErrors and
 * no more than fit in `maxBytes` of JSON (UTF-8), and counts all of them in errorCount. A report over
 * the relay's message limit would close the socket with 4413 ("do not retry") and, being sent again
 * after every welcome, would keep the plugin from ever connecting.
 */
export function appliedReport(input: AppliedReportInput, maxBytes: number = MAX_APPLIED_REPORT_BYTES): AppliedMessage {
  const report: AppliedMessage = { type: 'applied', seq: input.seq, errors: [], errorCount: input.problems.length };
  if (input.counts !== undefined) report.counts = input.counts;
  if (input.at !== undefined) report.at = input.at;
  // `"errors":[]` is in the base; each listed problem adds its own JSON and, after the first, a comma.
  let bytes = utf8Length(JSON.stringify(report));
  const limit = Math.min(input.problems.length, LIMITS.maxReportedErrors);
  let listed = 0;
  for (; listed < limit; listed++) {
    const size = utf8Length(JSON.stringify(input.problems[listed])) + (listed > 0 ? 1 : 0);
    if (bytes + size > maxBytes) break;
    bytes += size;
  }
  report.errors = input.problems.slice(0, listed);
  return report;
}
