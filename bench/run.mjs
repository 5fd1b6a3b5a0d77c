// Runs a benchmark: node bench/run.mjs <name> [args...] bundles bench/<name>/index.ts (or, for a name
// with a slash such as relay/under-attack, bench/<name>.ts) with esbuild (so TypeScript and the
// ESM-only packages just work) and runs it with the given arguments.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const [name, ...args] = process.argv.slice(2);
if (!name) {
  console.error('usage: node bench/run.mjs <name> [args...]   (bench/<name>/index.ts)');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'bench-'));
const outfile = join(dir, `${name.replace(/\//g, '-')}.cjs`);
await build({
  entryPoints: [name.includes('/') ? join(root, 'bench', `${name}.ts`) : join(root, 'bench', name, 'index.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['better-sqlite3', 'ioredis', 'pino', 'prom-client', 'ws', 'playwright-core'],
  nodePaths: [join(root, 'node_modules')],
  logLevel: 'warning',
});
// The bundle runs from a temp folder, so its externals resolve through NODE_PATH to this repo's node_modules.
const env = { ...process.env, NODE_PATH: join(root, 'node_modules') };
const result = spawnSync(process.execPath, ['--expose-gc', outfile, ...args], { stdio: 'inherit', cwd: root, env });
rmSync(dir, { recursive: true, force: true });
process.exit(result.status ?? 1);
