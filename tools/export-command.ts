// `sheets-figma-sync export --format dtcg|json|css --out <dir> <tab.csv>...`: maps CSV tabs as
// `check` does, turns what maps into token files (shared/tokens/), writes them under <dir>, and
// prints the files and every problem as `check` prints them. A sheet with errors still exports
// its good rows, and exits 1.

import { join } from 'node:path';
import { mapGrid } from '../shared/sheet/mapper';
import type { MapResult } from '../shared/sheet/model';
import { checkTokenOptions, exportTokens, TokenOptionError, type DtcgLayout, type TokenFormat } from '../shared/tokens/export-tokens';
import { fileError, writeWith, type CommandIo } from './command-io';
import { InputError, readCsvTabs } from './csv-tabs';
import { hasErrors, plural, problemLines, summaryLine } from './problem-lines';

export interface ExportArgs {
  files: readonly string[];
  out: string;
  format: string;
  layout?: string;
  mode?: string;
}

/** Runs `export`; returns the exit status (0 no errors, 1 the sheet or the export has errors, 2 bad usage or a file that cannot be read or written). */
export function runExport(args: ExportArgs, io: CommandIo): number {
  let options;
  try {
    options = checkTokenOptions({ format: args.format as TokenFormat, layout: args.layout as DtcgLayout | undefined, mode: args.mode });
  } catch (err) {
    if (err instanceof TokenOptionError) {
      io.stderr(`sheets-figma-sync: --${err.option}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  let result: MapResult;
  try {
    result = mapGrid(readCsvTabs(args.files, io.readFile), { units: true });
  } catch (err) {
    if (err instanceof InputError) {
      io.stderr(`sheets-figma-sync: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const exported = exportTokens(result.collections, options);
  const write = writeWith(io);
  const lines: string[] = [];
  for (const file of exported.files) {
    const path = join(args.out, ...file.path.split('/'));
    try {
      write(path, file.text);
    } catch (err) {
      io.stderr(`sheets-figma-sync: cannot write ${path}: ${fileError(err)}\n`);
      return 2;
    }
    lines.push(`wrote ${path}`);
  }
  lines.push(`${plural(exported.files.length, 'file')} in ${options.format} format${options.format === 'dtcg' ? ` (${options.layout} layout)` : ''}`, '');
  const problems = [...result.problems, ...exported.problems];
  lines.push(...problemLines(problems));
  lines.push(summaryLine(result, problems));
  io.stdout(`${lines.join('\n')}\n`);
  return hasErrors(problems) ? 1 : 0;
}
