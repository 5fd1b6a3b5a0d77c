// `sheets-figma-sync check <tab.csv>...`: maps CSV tabs with the shared mapper and reports, for a
// person or as JSON, the collections, modes and variables it would create and every problem.

import { formatHex } from '../shared/color';
import { mapGrid } from '../shared/mapper';
import type { MapResult, MappedValue, VariableType } from '../shared/model';
import type { Problem } from '../shared/protocol';
import { InputError, readCsvTabs } from './csv-tabs';

export const USAGE = `usage: sheets-figma-sync check [--json] <tab.csv>...

Maps each CSV file as one synced tab (the tab is named after the file, without its extension)
and prints the collections, modes and variables Figma would get, and every problem with its
Tab!A1 cell. Cells Sheets would show as numbers or TRUE/FALSE are read as such.

options:
  --json     print {collections, problems} as JSON instead of text
  -h, --help show this help

exit status: 0 no errors (warnings allowed), 1 the sheet has errors, 2 bad usage or unreadable file`;

export type ParsedArgs = { kind: 'help' } | { kind: 'check'; files: string[]; json: boolean } | { kind: 'usage-error'; message: string };

/** Parses the command line (without node and the script path). */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const files: string[] = [];
  let json = false;
  let command: string | undefined;
  let flagsDone = false;
  for (const arg of argv) {
    if (!flagsDone && arg.startsWith('-') && arg !== '-') {
      // `npx sheets-figma-sync -- --help` passes the "--" on: before the command it means nothing.
      if (arg === '--') flagsDone = command !== undefined;
      else if (arg === '-h' || arg === '--help') return { kind: 'help' };
      else if (arg === '--json') json = true;
      else return { kind: 'usage-error', message: `unknown option ${arg}` };
    } else if (command === undefined) command = arg;
    else files.push(arg);
  }
  if (command === undefined) return { kind: 'usage-error', message: 'no command given; use "check"' };
  if (command === 'help') return { kind: 'help' };
  if (command !== 'check') return { kind: 'usage-error', message: `unknown command "${command}"; use "check"` };
  if (files.length === 0) return { kind: 'usage-error', message: 'check needs at least one CSV file' };
  return { kind: 'check', files, json };
}

/** The --json output: Figma's value shapes, problems as the sidebar shows them. */
export interface JsonReport {
  collections: { name: string; modes: string[]; variables: { name: string; type: VariableType; valuesByMode: Record<string, MappedValue> }[] }[];
  problems: Problem[];
}

export function toJsonReport(result: MapResult): JsonReport {
  return {
    collections: result.collections.map((c) => ({
      name: c.name,
      modes: c.modes.map((m) => m.name),
      variables: c.variables.map((v) => ({ name: v.name, type: v.type, valuesByMode: v.valuesByMode })),
    })),
    problems: result.problems,
  };
}

/** A value as a person reads it: colours as hex, aliases as {Tab::name}, strings quoted. */
export function formatValue(value: MappedValue): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if ('alias' in value) return `{${value.alias.collection}::${value.alias.name}}`;
  return formatHex(value);
}

/** The text report: each collection with its modes and variables, then every problem. */
export function formatReport(result: MapResult): string {
  const lines: string[] = [];
  for (const c of result.collections) {
    const modes = c.modes.map((m) => m.name);
    lines.push(`${c.name}: ${plural(modes.length, 'mode')} (${modes.join(', ')}), ${plural(c.variables.length, 'variable')}`);
    const width = Math.min(40, Math.max(0, ...c.variables.map((v) => v.name.length)));
    for (const v of c.variables) {
      const values = modes.length === 1 ? formatValue(v.valuesByMode[modes[0]!]!) : modes.map((m) => `${m}: ${formatValue(v.valuesByMode[m]!)}`).join('  ');
      lines.push(`  ${v.name.padEnd(width)}  ${v.type.padEnd(7)}  ${values}`);
    }
    lines.push('');
  }
  const errors = result.problems.filter((p) => p.severity === 'error').length;
  const warnings = result.problems.length - errors;
  if (result.problems.length > 0) {
    lines.push('Problems:');
    for (const p of result.problems) lines.push(`${p.tab}!${p.cell}  ${p.severity.padEnd(7)}  ${p.message}`);
    lines.push('');
  }
  const variables = result.collections.reduce((n, c) => n + c.variables.length, 0);
  lines.push(`${plural(result.collections.length, 'collection')}, ${plural(variables, 'variable')}; ${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export interface CommandIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile?: (file: string) => string;
}

/** Runs the command line; returns the exit status. */
export function runCli(argv: readonly string[], io: CommandIo): number {
  const args = parseArgs(argv);
  if (args.kind === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  if (args.kind === 'usage-error') {
    io.stderr(`sheets-figma-sync: ${args.message}\n\n${USAGE}\n`);
    return 2;
  }
  let result: MapResult;
  try {
    result = mapGrid(readCsvTabs(args.files, io.readFile));
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`sheets-figma-sync: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  io.stdout(args.json ? `${JSON.stringify(toJsonReport(result), null, 2)}\n` : formatReport(result));
  return result.problems.some((p) => p.severity === 'error') ? 1 : 0;
}
