// Runs shell commands at the same time (the test gate's lint and typecheck use both cores) and prints
// each one's output whole when it ends, so the outputs never interleave. Exits 1 if any command failed.
// Usage: node scripts/run-parallel.mjs "npm run lint" "npm run typecheck"
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';

const commands = process.argv.slice(2);
if (commands.length === 0) {
  console.error('usage: node scripts/run-parallel.mjs "<command>" ["<command>" ...]');
  process.exit(2);
}

const results = await Promise.all(
  commands.map(
    (command) =>
      new Promise((resolve) => {
        const started = Date.now();
        const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
        const chunks = [];
        child.stdout.on('data', (c) => chunks.push(c));
        child.stderr.on('data', (c) => chunks.push(c));
        child.on('close', (code) => {
          const seconds = ((Date.now() - started) / 1000).toFixed(1);
          process.stdout.write(`\n── ${command} (exit ${code}, ${seconds} s)\n${Buffer.concat(chunks).toString()}`);
          resolve(code);
        });
      }),
  ),
);
process.exit(results.every((code) => code === 0) ? 0 : 1);
