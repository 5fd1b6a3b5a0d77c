// The `sheets-figma-sync` command line: check, export, import and pull (tools/run-cli.ts).
import { runCli } from './run-cli';

// exitCode rather than exit(): a piped stdout is flushed before the process ends.
void Promise.resolve(
  runCli(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  }),
).then(
  (status) => (process.exitCode = status),
  (err: unknown) => {
    process.stderr.write(`sheets-figma-sync: failed unexpectedly: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 2;
  },
);
