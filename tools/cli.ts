// The `sheets-figma-sync` command line: check, export and import (tools/run-cli.ts).
import { runCli } from './run-cli';

// exitCode rather than exit(): a piped stdout is flushed before the process ends.
process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
