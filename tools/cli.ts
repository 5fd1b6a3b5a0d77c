// The `sheets-figma-sync` command line: `check <tab.csv>...` maps CSV tabs with the shared mapper.
import { runCli } from './check-command';

// exitCode rather than exit(): a piped stdout is flushed before the process ends.
process.exitCode = runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
