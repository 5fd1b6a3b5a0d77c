// `sheets-figma-sync check <tab.csv>...`: maps CSV tabs with the shared mapper and reports, for a
// person or as JSON, the collections, modes and variables it would create and every problem.

import { formatHex } from '../shared/sheet/color';
import { mapGrid } from '../shared/sheet/mapper';
import type { MapResult, MappedValue, VariableType } from '../shared/sheet/model';
import type { Problem } from '../shared/protocol/messages';
import type { CommandIo } from './command-io';
import { InputError, readCsvTabs } from './csv-tabs';
import { hasErrors, plural, problemLines, summaryLine } from './problem-lines';

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
  lines.push(...problemLines(result.problems));
  lines.push(summaryLine(result));
  return `${lines.join('\n')}\n`;
}

/** Runs `check` on one or more files; returns the exit status (0 no errors, 1 errors, 2 an unreadable file). */
export function runCheck(files: readonly string[], json: boolean, io: CommandIo): number {
  let result: MapResult;
  try {
    result = mapGrid(readCsvTabs(files, io.readFile));
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`sheets-figma-sync: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  io.stdout(json ? `${JSON.stringify(toJsonReport(result), null, 2)}\n` : formatReport(result));
  return hasErrors(result.problems) ? 1 : 0;
}
