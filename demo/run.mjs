// npm run demo: bundles demo/main.ts with esbuild (TypeScript and the ESM-only packages just work)
// and runs it in this process, so Ctrl-C reaches the demo directly and it stops everything it started.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// Inside node_modules/.cache, so the bundle's external packages resolve from the project's node_modules.
const cache = join(root, 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'sheets-figma-demo-'));
const outfile = join(dir, 'demo.cjs');
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
await build({
  entryPoints: [join(root, 'demo', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // Resolved from node_modules at run time; esbuild itself bundles the page in the browser's format.
  external: ['better-sqlite3', 'ioredis', 'pino', 'prom-client', 'ws', 'playwright-core', 'esbuild'],
  nodePaths: [join(root, 'node_modules')],
  logLevel: 'warning',
});
await import(pathToFileURL(outfile).href);
