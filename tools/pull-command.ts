// `sheets-figma-sync pull --code sfs1… --out <dir>`: the channel's current tokens from its relay, the
// files Figma's variables come from, written under <dir> as `export` writes them. The ETag is kept
// beside them (pull-state.ts), so the next pull of an unchanged sheet downloads nothing and says
// "unchanged". Exit status as `export`: 0 no errors, 1 the sheet has errors (its good rows are in the
// files), 2 bad usage, a relay that cannot be reached or refuses, or a file that cannot be written.

import { existsSync, readFileSync, readdirSync, rmdirSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { decodePairingCode } from '../shared/protocol/pairing-code';
import type { Problem, TokensAnswer } from '../shared/protocol/messages';
import { checkTokenOptions, TokenOptionError, type DtcgLayout, type TokenExportOptions, type TokenFormat } from '../shared/tokens/export-tokens';
import { fileError, writeWith, type CommandIo } from './command-io';
import { plural, problemLines } from './problem-lines';
import { PULL_STATE_FILE, pullStateText, readPullState, type PullState } from './pull-state';
import { fetchTokens, type FetchOptions } from './tokens-fetch';

/** Where a CI job may keep the pairing code instead of the command line. */
export const CODE_VARIABLE = 'SFS_PAIRING_CODE';

export interface PullArgs {
  code: string | undefined;
  out: string;
  format: string;
  layout?: string;
  mode?: string;
}

export interface PullIo extends CommandIo {
  env?: Record<string, string | undefined>;
  fetchOptions?: FetchOptions;
}

/** Runs `pull`; resolves with the exit status. */
export async function runPull(args: PullArgs, io: PullIo): Promise<number> {
  const fail = (message: string): number => {
    io.stderr(`sheets-figma-sync: ${message}\n`);
    return 2;
  };
  const code = args.code ?? io.env?.[CODE_VARIABLE];
  if (code === undefined || code.trim() === '') return fail(`pull needs the pairing code: --code sfs1… or ${CODE_VARIABLE} in the environment (copy it from the sheet's add-on sidebar)`);
  const decoded = decodePairingCode(code);
  if (!decoded.ok) return fail(`--code: ${decoded.message}`);
  const link = decoded.link;
  let options: TokenExportOptions;
  try {
    options = checkTokenOptions({ format: args.format as TokenFormat, layout: args.layout as DtcgLayout | undefined, mode: args.mode });
  } catch (err) {
    if (err instanceof TokenOptionError) return fail(`--${err.option}: ${err.message}`);
    throw err;
  }

  const statePath = join(args.out, PULL_STATE_FILE);
  const held = readPullState(readIfThere(statePath));
  // The ETag speaks for the files only if they are the ones asked for now, and all still there.
  const same = held !== undefined && held.relayUrl === link.relayUrl && held.channelId === link.channelId && held.format === options.format && held.layout === options.layout && held.mode === options.mode;
  const etag = same && held.files.every((f) => existsSync(join(args.out, ...f.split('/')))) ? held.etag : undefined;

  const fetched = await fetchTokens(link, options, etag, io.fetchOptions);
  if (fetched.kind === 'failed') return fail(fetched.message);
  if (fetched.kind === 'unchanged') {
    if (!etag || !held) return fail('the relay answered "not modified" to a request that held no files; run pull again');
    const state = held;
    const lines = [`unchanged: ${args.out} holds the tokens at seq ${state.seq} (${describe(options)})`, '', ...report(state)];
    io.stdout(`${lines.join('\n')}\n`);
    return state.errorCount > 0 ? 1 : 0;
  }

  const { answer } = fetched;
  const write = writeWith(io);
  const lines: string[] = [];
  for (const file of answer.files) {
    if (!isSafePath(file.path)) return fail(`the relay named a file outside the folder (${JSON.stringify(file.path.slice(0, 200))}); nothing more was written`);
    const path = join(args.out, ...file.path.split('/'));
    try {
      write(path, file.text);
    } catch (err) {
      return fail(`cannot write ${path}: ${fileError(err)}`);
    }
    lines.push(`wrote ${path}`);
  }
  // Files an earlier pull wrote that the sheet no longer makes (a tab or mode that went): a build
  // reading the folder gets exactly what Figma shows, nothing stale.
  const written = new Set(answer.files.map((f) => f.path));
  for (const old of same ? held.files : []) {
    if (written.has(old) || !isSafePath(old)) continue;
    const path = join(args.out, ...old.split('/'));
    if (removeFile(path, args.out)) lines.push(`removed ${path}`);
  }
  const state = stateOf(answer, link, options, fetched.etag);
  try {
    if (state) write(statePath, pullStateText(state));
    else if (existsSync(statePath)) unlinkSync(statePath);
  } catch (err) {
    return fail(`cannot write ${statePath}: ${fileError(err)}`);
  }
  lines.push(`${plural(answer.files.length, 'file')} in ${describe(options)} at seq ${answer.seq}`, '');
  lines.push(...report(answer));
  io.stdout(`${lines.join('\n')}\n`);
  return answer.errorCount > 0 ? 1 : 0;
}

function describe(options: TokenExportOptions): string {
  const parts = [`${options.format} format`];
  if (options.layout !== undefined) parts.push(`${options.layout} layout`);
  if (options.mode !== undefined) parts.push(`mode ${options.mode}`);
  return parts.length === 1 ? parts[0]! : `${parts[0]} (${parts.slice(1).join(', ')})`;
}

/** The problems and the closing summary, as `export` prints them. */
function report(result: { problems: Problem[]; errorCount: number; warningCount: number; collections: number; variables: number }): string[] {
  const lines = problemLines(result.problems);
  const unlisted = result.errorCount + result.warningCount - result.problems.length;
  if (unlisted > 0) lines.splice(lines.length - 1, 0, `… and ${plural(unlisted, 'more problem')} (the relay lists the first ${result.problems.length})`);
  lines.push(`${plural(result.collections, 'collection')}, ${plural(result.variables, 'variable')}; ${plural(result.errorCount, 'error')}, ${plural(result.warningCount, 'warning')}`);
  return lines;
}

function stateOf(answer: TokensAnswer, link: { relayUrl: string; channelId: string }, options: TokenExportOptions, etag: string | undefined): PullState | undefined {
  // Without an ETag there is nothing to ask with next time: the next pull fetches everything.
  if (etag === undefined) return undefined;
  return {
    v: 1,
    relayUrl: link.relayUrl,
    channelId: link.channelId,
    format: options.format,
    ...(options.layout === undefined ? {} : { layout: options.layout }),
    ...(options.mode === undefined ? {} : { mode: options.mode }),
    etag,
    epoch: answer.epoch,
    seq: answer.seq,
    hash: answer.hash,
    files: answer.files.map((f) => f.path),
    problems: answer.problems,
    errorCount: answer.errorCount,
    warningCount: answer.warningCount,
    collections: answer.collections,
    variables: answer.variables,
  };
}

/** A relative path of plain names: no "..", no absolute path, no drive, no backslash. */
function isSafePath(path: string): boolean {
  return path.split('/').every((part) => part !== '' && part !== '.' && part !== '..' && !/[\\:]/.test(part) && !part.includes('\0'));
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Removes a file and the folders it leaves empty (up to `root`); false when it was not there. */
function removeFile(path: string, root: string): boolean {
  try {
    unlinkSync(path);
  } catch {
    return false;
  }
  const top = resolve(root);
  for (let dir = dirname(resolve(path)); dir !== top && dir.startsWith(top); dir = dirname(dir)) {
    try {
      if (readdirSync(dir).length > 0) break;
      rmdirSync(dir);
    } catch {
      break;
    }
  }
  return true;
}
