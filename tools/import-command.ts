// `sheets-figma-sync import --out <dir> <files>...`: token files (DTCG 2025.10, a resolver
// document, a Tokens Studio export) → CSV tabs in the sheet format, one per collection or set. It
// prints what was converted and what was left out (with counts), then checks the written tabs with
// the mapper as `check` would. Exit 1 when a token could not be read or the tabs have errors.

import { join } from 'node:path';
import { mapGrid } from '../shared/sheet/mapper';
import type { Problem } from '../shared/protocol/messages';
import { fileSafe } from '../shared/tokens/export-tokens';
import { fileError, readWith, writeWith, type CommandIo } from './command-io';
import { csvToRows, tabNameOf } from './csv-tabs';
import { hasErrors, plural, problemLines, summaryLine } from './problem-lines';
import { importTokens, type ImportReport, type ImportedTab } from './token-import';
import { TokenFileError } from './token-sources';

export interface ImportArgs {
  files: readonly string[];
  out: string;
  json: boolean;
}

export interface ImportJson extends ImportReport {
  tabs: { name: string; file: string; modes: string[]; rows: number }[];
  problems: Problem[];
}

export function runImport(args: ImportArgs, io: CommandIo): number {
  const read = readWith(io);
  let result: ReturnType<typeof importTokens>;
  try {
    result = importTokens(args.files, (file) => {
      try {
        return read(file);
      } catch (err) {
        throw new TokenFileError(`cannot read ${file}: ${fileError(err)}`);
      }
    });
  } catch (err) {
    if (err instanceof TokenFileError) {
      io.stderr(`sheets-figma-sync: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const write = writeWith(io);
  const written: { tab: ImportedTab; file: string }[] = [];
  const taken = new Set<string>();
  for (const tab of result.tabs) {
    let base = fileSafe(tab.name);
    for (let n = 2; taken.has(base.toLowerCase()); n++) base = `${fileSafe(tab.name)} (${n})`;
    taken.add(base.toLowerCase());
    const file = join(args.out, `${base}.csv`);
    try {
      write(file, tab.csv);
    } catch (err) {
      io.stderr(`sheets-figma-sync: cannot write ${file}: ${fileError(err)}\n`);
      return 2;
    }
    written.push({ tab, file });
  }
  // The written tabs, read back as `check` reads them: what the sync will make of them.
  const mapped = mapGrid({ tabs: written.map(({ tab, file }, i) => ({ tabId: i, name: tabNameOf(file), rows: csvToRows(tab.csv, file) })) });
  const { report } = result;
  if (args.json) {
    const json: ImportJson = { tabs: written.map(({ tab, file }) => ({ name: tab.name, file, modes: tab.modes, rows: tab.rows })), ...report, problems: mapped.problems };
    io.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else io.stdout(formatImport(written, report, mapped.problems, summaryLine(mapped)));
  return report.unreadable.length > 0 || hasErrors(mapped.problems) ? 1 : 0;
}

function formatImport(written: readonly { tab: ImportedTab; file: string }[], report: ImportReport, problems: readonly Problem[], summary: string): string {
  const lines: string[] = [];
  for (const { tab, file } of written) lines.push(`wrote ${file}: ${plural(tab.rows, 'variable')}, ${plural(tab.modes.length, 'mode')} (${tab.modes.join(', ')})`);
  lines.push('');
  const section = (title: string, entries: ImportReport['converted']) => {
    if (entries.length === 0) return;
    const total = entries.reduce((n, e) => n + e.count, 0);
    lines.push(`${title} (${total}):`);
    const width = Math.min(60, Math.max(...entries.map((e) => e.what.length)));
    for (const e of entries) lines.push(`  ${e.what.padEnd(width)}  ${String(e.count).padStart(4)}  ${e.examples.join(', ')}${e.count > e.examples.length ? ', …' : ''}`);
    lines.push('');
  };
  section('Converted', report.converted);
  section('Left out: a Figma variable cannot hold them', report.leftOut);
  if (report.unreadable.length > 0) {
    lines.push(`Could not be read (${report.unreadable.length}):`);
    for (const u of report.unreadable) lines.push(`  ${u.tab}::${u.token}  ${u.message}`);
    lines.push('');
  }
  lines.push(...problemLines(problems));
  lines.push(`the written tabs: ${summary}`);
  return `${lines.join('\n')}\n`;
}
