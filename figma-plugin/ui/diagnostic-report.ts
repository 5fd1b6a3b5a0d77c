// The Diagnostics as one copyable text: the product's version, where and when it ran, the relay (its
// host and the channel's first characters, never the token), the connection's status, and each step
// with its result and timing. A maintainer pastes it into the issue tracker after a first real run.

import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import type { DiagnosticStep } from '../../shared/plan/plugin-messages';
import { relayHost } from './format';

export interface ReportInput {
  version: string;
  /** Unix ms the run started. */
  at: number;
  userAgent?: string;
  relayUrl?: string;
  channelId?: string;
  /** The connection's status as the window shows it. */
  status?: string;
  /** Facts from the main thread (Figma's API version, editor type). */
  facts: Record<string, string>;
  steps: readonly DiagnosticStep[];
}

const MARK: Record<DiagnosticStep['result'], string> = { ok: 'ok', warning: 'WARNING', failed: 'FAILED', skipped: 'skipped' };

export function diagnosticReport(input: ReportInput): string {
  const lines = ['Sheets Live Variables: diagnostics'];
  const about = [`product ${input.version}`, `protocol v${PROTOCOL_VERSION}`, ...Object.entries(input.facts).map(([k, v]) => `${k} ${v}`)];
  lines.push(about.join(' · '));
  lines.push(`run at ${new Date(input.at).toISOString()}`);
  if (input.userAgent) lines.push(`window: ${input.userAgent}`);
  lines.push(
    input.relayUrl
      ? `relay: ${relayHost(input.relayUrl)} · channel ${(input.channelId ?? '').slice(0, 6)}… (the pairing code's token is never included)`
      : 'relay: none (this file is not linked to a sheet)',
  );
  if (input.status) lines.push(`status: ${input.status}`);
  lines.push('');
  for (const step of input.steps) {
    lines.push(`[${MARK[step.result]}] ${step.title}${step.ms !== undefined ? ` (${step.ms} ms)` : ''}: ${step.detail}`);
  }
  return lines.join('\n');
}
