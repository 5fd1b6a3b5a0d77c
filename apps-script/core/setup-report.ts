// Check setup's report: each step's result, detail and time, and one text to copy into an issue.
// Pure. The report never holds the secret, the subscribe token, the pairing code or the full channel id.

export type StepResult = 'ok' | 'warn' | 'fail' | 'skip';

export interface SetupStep {
  name: string;
  result: StepResult;
  detail: string;
  /** How long the step took (ms). */
  ms: number;
}

export interface SetupReport {
  version: string;
  protocol: number;
  /** When the check ran (unix ms). */
  at: number;
  steps: SetupStep[];
  /** Everything above as plain text, for the Copy button. */
  text: string;
}

const MARK: Record<StepResult, string> = { ok: '[ok]  ', warn: '[warn]', fail: '[FAIL]', skip: '[skip]' };

/** The text a person copies: a header line, then one line per step. */
export function reportText(version: string, protocol: number, at: number, steps: readonly SetupStep[]): string {
  const lines = [`Sheets to Figma sync add-on ${version} (protocol v${protocol}) · Check setup at ${new Date(at).toISOString()}`];
  for (const s of steps) lines.push(`${MARK[s.result]} ${s.name} (${s.ms} ms): ${s.detail}`);
  const failed = steps.filter((s) => s.result === 'fail').length;
  const warned = steps.filter((s) => s.result === 'warn').length;
  lines.push(failed || warned ? `${failed} failed, ${warned} to look at, of ${steps.length} checks.` : `All ${steps.length} checks passed.`);
  return lines.join('\n');
}

/** A channel id shortened for the report: enough to match it in relay logs, not to name the channel. */
export const shortId = (id: string): string => `${id.slice(0, 8)}…`;
