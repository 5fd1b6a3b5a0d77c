// The `sheets-figma-sync` command line: reads the command and its options once, then hands over to
// check, export, import or pull. Exit status: 0 fine, 1 the sheet (or the import) has errors, 2 bad
// usage, a file that cannot be read or written, or (pull) a relay that cannot be reached or refuses.

import { runCheck } from './check-command';
import { parseCommandLine } from './command-line';
import { runExport } from './export-command';
import { runImport } from './import-command';
import { CODE_VARIABLE, runPull, type PullIo } from './pull-command';

export const USAGE = `usage: sheets-figma-sync check [--json] <tab.csv>...
       sheets-figma-sync export [--format dtcg|json|css] --out <dir> [--layout resolver|single] [--mode <mode>] <tab.csv>...
       sheets-figma-sync import --out <dir> [--json] <tokens.json | tokens.resolver.json | tokens-studio.json>...
       sheets-figma-sync pull --code <pairing code> --out <dir> [--format dtcg|json|css] [--layout resolver|single] [--mode <mode>]

Each CSV file is one synced tab (the tab is named after the file, without its extension). Cells
Sheets would show as numbers or TRUE/FALSE are read as such.

check    prints the collections, modes and variables Figma would get, and every problem with its
         Tab!A1 cell.
  --json       print {collections, problems} as JSON instead of text

export   writes the tabs as token files for code (docs/tokens.md), and every problem as check does;
         a sheet with errors exports its good rows.
  --format     dtcg (default): DTCG 2025.10 design tokens; json: name → value per mode; css: one
               block of custom properties per mode
  --layout     dtcg only. resolver (default): one file per tab and mode, and tokens.resolver.json
               tying them together; single: one file per tab, its default mode as $value and every
               mode in $extensions
  --mode       only this mode (in tabs that have it; the default mode elsewhere)
  --out        the folder to write into (created if needed)

import   writes CSV tabs in the sheet format from DTCG 2025.10 token files, a DTCG resolver
         document or a Tokens Studio export, and reports what was converted and what was left out
         (a Figma variable holds no typography, shadow, border, gradient, transition, cubic
         Bézier, duration or font list).
  --out        the folder to write the CSV tabs into
  --json       print the report as JSON

pull     writes a channel's current tokens from its relay, as export writes them: exactly what
         Figma shows. Keeps the answer's ETag in <dir>/.sfs-pull.json; when the sheet has not
         changed since, it prints "unchanged" and writes nothing.
  --code       the sheet's pairing code (sfs1…), or set ${CODE_VARIABLE} instead
  --format, --layout, --mode   as for export
  --out        the folder to write the token files into

  -h, --help   show this help

exit status: 0 no errors (warnings allowed), 1 the sheet or the import has errors, 2 bad usage, a
file that cannot be read or written, or (pull) a relay that cannot be reached or refuses the code`;

/** Runs the command line; returns the exit status (a promise of it for pull, which asks the relay). */
export function runCli(argv: readonly string[], io: PullIo): number | Promise<number> {
  const line = parseCommandLine(argv);
  if (line.kind === 'help') {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const usageError = (message: string): number => {
    io.stderr(`sheets-figma-sync: ${message}\n\n${USAGE}\n`);
    return 2;
  };
  if (line.kind === 'usage-error') return usageError(line.message);
  const { command, options, files } = line;
  const value = (name: string): string | undefined => {
    const v = options.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  if (command === 'pull') {
    if (files.length > 0) return usageError(`pull takes no files (${files[0]} given); it writes the channel's tokens into --out`);
    const out = value('--out');
    if (out === undefined) return usageError('pull needs --out <dir>, the folder to write the token files into');
    return runPull({ code: value('--code'), out, format: value('--format') ?? 'dtcg', layout: value('--layout'), mode: value('--mode') }, io);
  }
  if (files.length === 0) return usageError(command === 'import' ? 'import needs at least one token file' : `${command} needs at least one CSV file`);
  switch (command) {
    case 'check':
      return runCheck(files, options.has('--json'), io);
    case 'export': {
      const out = value('--out');
      if (out === undefined) return usageError('export needs --out <dir>, the folder to write the token files into');
      return runExport({ files, out, format: value('--format') ?? 'dtcg', layout: value('--layout'), mode: value('--mode') }, io);
    }
    case 'import': {
      const out = value('--out');
      if (out === undefined) return usageError('import needs --out <dir>, the folder to write the CSV tabs into');
      return runImport({ files, out, json: options.has('--json') }, io);
    }
  }
}
