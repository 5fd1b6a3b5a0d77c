// The main thread's part of the plugin's Diagnostics, for a first run on real Figma: reads the whole
// file and times it, says what the file remembers (and whether this plugin id can read it), makes a
// scratch collection with one variable, writes, reads back and removes it, adds modes to it until
// Figma states its limit, and times one drift re-read at this file's size. Each step is timed; nothing
// secret goes in (no token, no values from the sheet).

import type { DiagnosticStep } from '../../shared/plan/plugin-messages';
import { DRIFT_CHECK_MS, rereadFile } from './drift-check';
import { FileMirror } from './file-state';
import { classifyRefusal } from './figma-refusals';
import type { PluginHost, Scheduler } from './host';
import { NAMESPACE, type DocumentStore } from './plugin-data';

/** The scratch collection's name: it exists only for the few milliseconds of the write step. */
export const SCRATCH_COLLECTION = 'Sheets sync diagnostics (temporary)';
/** Modes tried on the scratch collection before giving up on meeting Figma's limit. */
export const MAX_MODES_TRIED = 40;

export interface DiagnosticsContext {
  host: PluginHost;
  scheduler: Scheduler;
  documents: DocumentStore;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err)).slice(0, 300);
const round = (ms: number): number => Math.round(ms * 10) / 10;
const plural = (n: number, noun: string): string => `${n.toLocaleString('en-US')} ${noun}${n === 1 ? '' : 's'}`;

/** Runs `body`, timed on the scheduler's clock. */
function timed<T>(scheduler: Scheduler, body: () => T): { value: T; ms: number } {
  const start = scheduler.now();
  const value = body();
  return { value, ms: round(scheduler.now() - start) };
}

async function readVariables(ctx: DiagnosticsContext): Promise<{ step: DiagnosticStep; mirror?: FileMirror }> {
  const title = 'Variables readable';
  const start = ctx.scheduler.now();
  let mirror: FileMirror;
  try {
    mirror = await FileMirror.load(ctx.host.variables);
  } catch (err) {
    return { step: { id: 'variables', title, result: 'failed', ms: round(ctx.scheduler.now() - start), detail: `Reading the file's variables failed: ${errorText(err)}` } };
  }
  const ms = round(ctx.scheduler.now() - start);
  const { collections, variables } = mirror.state();
  const marked = mirror.markedIds();
  const legacy = mirror.legacyMarked().length;
  const unreadable = mirror.unreadable.length;
  const parts = [
    `${plural(collections.length, 'collection')} and ${plural(variables.length, 'variable')} read (every property the sync uses) in ${ms} ms`,
    `${plural(marked.collections.length, 'collection')} and ${plural(marked.variables.length, 'variable')} carry this sync's mark in shared plugin data ("${NAMESPACE}") or an earlier build's`,
  ];
  if (legacy > 0) parts.push(`${plural(legacy, 'mark')} only in an earlier build's private plugin data (copied to shared plugin data at the next sync)`);
  if (unreadable > 0) parts.push(`${plural(unreadable, 'object')} Figma lists cannot be read (left over from a deleted collection; the sync skips them)`);
  return { step: { id: 'variables', title, result: unreadable > 0 ? 'warning' : 'ok', ms, detail: `${parts.join('; ')}.` }, mirror };
}

function documentStep(ctx: DiagnosticsContext): DiagnosticStep {
  const title = 'What this file remembers';
  const link = ctx.documents.link();
  const hint = ctx.documents.linkHint();
  const position = ctx.documents.position();
  const at = position ? ` The last applied change is seq ${position.seq}.` : ' No change was applied yet.';
  const host = (url: string) => url.replace(/^[a-z]+:\/\//, '');
  if (link) {
    return {
      id: 'document',
      title,
      result: 'ok',
      detail: `A pairing code is saved in this file for this plugin id (relay ${host(link.relayUrl)}, channel ${link.channelId.slice(0, 6)}…); ${hint ? 'the sheet it names is noted in shared plugin data for other plugin ids' : 'the note for other plugin ids is written at the next opening'}.${at}`,
    };
  }
  if (hint) {
    return {
      id: 'document',
      title,
      result: 'warning',
      detail: `This plugin id cannot read a saved pairing code, but shared plugin data says the file was linked to ${hint.title ? `"${hint.title}"` : 'a sheet'} (relay ${host(hint.relayUrl)}, channel ${hint.channelId.slice(0, 6)}…): the plugin's id changed (published), or the code was saved by another build. Paste that sheet's pairing code again.${at}`,
    };
  }
  return { id: 'document', title, result: 'skipped', detail: `This file is not linked to a sheet.${at}` };
}

/** Creates the scratch collection and variable, writes, reads back, tries modes, then removes it all. */
function scratchSteps(ctx: DiagnosticsContext): DiagnosticStep[] {
  const api = ctx.host.variables;
  const s = ctx.scheduler;
  const writeTitle = 'Timed write and read-back on a scratch variable (removed afterwards)';
  const modesTitle = 'Modes per collection on this file (Figma’s limit)';
  let collection;
  try {
    collection = timed(s, () => api.createVariableCollection(SCRATCH_COLLECTION));
  } catch (err) {
    const detail = `Figma refused to create a collection: ${errorText(err)}`;
    return [
      { id: 'write', title: writeTitle, result: 'failed', detail },
      { id: 'modes', title: modesTitle, result: 'skipped', detail: 'No scratch collection to try modes on.' },
    ];
  }
  const c = collection.value;
  const steps: DiagnosticStep[] = [];
  try {
    const text = `probe ${Math.round(s.now())}`;
    const variable = timed(s, () => api.createVariable('diagnostics/probe', c, 'STRING'));
    const modeId = c.defaultModeId;
    const write = timed(s, () => variable.value.setValueForMode(modeId, text));
    const read = timed(s, () => variable.value.valuesByMode[modeId]);
    const shared = timed(s, () => {
      variable.value.setSharedPluginData(NAMESPACE, 'diagnostics', text);
      return variable.value.getSharedPluginData(NAMESPACE, 'diagnostics');
    });
    const ms = round(collection.ms + variable.ms + write.ms + read.ms + shared.ms);
    const same = read.value === text && shared.value === text;
    steps.push({
      id: 'write',
      title: writeTitle,
      result: same ? 'ok' : 'failed',
      ms,
      detail:
        `create collection ${collection.ms} ms, create variable ${variable.ms} ms, set value ${write.ms} ms, read back ${read.ms} ms (${read.value === text ? 'the same' : `different: ${JSON.stringify(read.value)}`}), ` +
        `shared plugin data written and read back ${shared.ms} ms (${shared.value === text ? 'the same' : 'different'}).`,
    });
  } catch (err) {
    steps.push({ id: 'write', title: writeTitle, result: 'failed', detail: `Figma refused: ${errorText(err)}` });
  }
  steps.push(modesStep(ctx, c, modesTitle));
  const removed = timed(s, () => {
    try {
      c.remove();
      return undefined;
    } catch (err) {
      return errorText(err);
    }
  });
  const write = steps[0]!;
  if (removed.value !== undefined) {
    write.result = 'failed';
    write.detail += ` Removing the scratch collection failed (${removed.value}): delete "${SCRATCH_COLLECTION}" by hand.`;
  } else write.detail += ` Removed again in ${removed.ms} ms.`;
  return steps;
}

function modesStep(ctx: DiagnosticsContext, c: ReturnType<PluginHost['variables']['createVariableCollection']>, title: string): DiagnosticStep {
  const start = ctx.scheduler.now();
  for (let modes = 1; modes < MAX_MODES_TRIED; modes++) {
    try {
      c.addMode(`Mode ${modes + 1}`);
    } catch (err) {
      const ms = round(ctx.scheduler.now() - start);
      const refusal = classifyRefusal(err);
      if (refusal.kind === 'mode-limit') {
        return { id: 'modes', title, result: 'ok', ms, detail: `Figma allows ${refusal.limit} modes per collection here: it refused mode ${modes + 1} with “${refusal.text}”.` };
      }
      return {
        id: 'modes',
        title,
        result: 'warning',
        ms,
        detail: `Figma refused mode ${modes + 1} with “${refusal.text}”, which the plugin does not read as a mode limit: report this text.`,
      };
    }
  }
  return { id: 'modes', title, result: 'ok', ms: round(ctx.scheduler.now() - start), detail: `Figma accepted ${MAX_MODES_TRIED} modes without stating a limit.` };
}

async function driftStep(ctx: DiagnosticsContext, mirror: FileMirror | undefined): Promise<DiagnosticStep> {
  const title = 'Drift check at this file’s size';
  if (!mirror) return { id: 'drift', title, result: 'skipped', detail: 'The file could not be read.' };
  const marked = mirror.markedIds();
  const start = ctx.scheduler.now();
  try {
    const reread = await rereadFile(mirror, ctx.host.variables, { scheduler: ctx.scheduler });
    const ms = round(ctx.scheduler.now() - start);
    return {
      id: 'drift',
      title,
      result: 'ok',
      ms,
      detail:
        `Re-reading ${plural(marked.collections.length, 'collection')} and ${plural(marked.variables.length, 'variable')} the sync made took ${ms} ms` +
        `${reread.structural ? ' (the file changed while it was read)' : ''}; the open plugin does this every ${DRIFT_CHECK_MS / 1000} s.`,
    };
  } catch (err) {
    return { id: 'drift', title, result: 'failed', ms: round(ctx.scheduler.now() - start), detail: `Re-reading failed: ${errorText(err)}` };
  }
}

/** Runs the main thread's steps in order; the editor's facts go beside them. */
export async function runMainDiagnostics(ctx: DiagnosticsContext): Promise<{ steps: DiagnosticStep[]; facts: Record<string, string> }> {
  const facts: Record<string, string> = {};
  if (ctx.host.apiVersion !== undefined) facts['Figma plugin API'] = ctx.host.apiVersion;
  if (ctx.host.editorType !== undefined) facts['Figma editor'] = ctx.host.editorType;
  const { step: variables, mirror } = await readVariables(ctx);
  const steps = [variables, documentStep(ctx), ...scratchSteps(ctx)];
  steps.push(await driftStep(ctx, mirror));
  return { steps, facts };
}
