// Where a relay worker thread's code comes from: the built file beside the relay's bundle
// (dist/relay/<name>.js, made by scripts/build.mjs), or, when the relay runs from its TypeScript sources
// (the tests), that source bundled on the fly with esbuild, a development dependency never loaded in
// a built relay.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export type WorkerName = 'ingest-worker' | 'sqlite-worker' | 'sqlite-checkpointer' | 'tokens-worker';

const bundled = new Map<WorkerName, string>();

function sourceCode(name: WorkerName): string {
  let code = bundled.get(name);
  if (code === undefined) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const esbuild = require('esbuild') as typeof import('esbuild');
    const out = esbuild.buildSync({ entryPoints: [join(__dirname, `${name}.ts`)], bundle: true, platform: 'node', target: 'node20', format: 'cjs', packages: 'external', write: false, logLevel: 'silent' });
    code = out.outputFiles[0]!.text;
    bundled.set(name, code);
  }
  return code;
}

/** Starts the named worker thread. */
export function startWorker(name: WorkerName, options: WorkerOptions = {}): Worker {
  const built = join(__dirname, `${name}.js`);
  if (existsSync(built)) return new Worker(built, options);
  if (!existsSync(join(__dirname, `${name}.ts`))) throw new Error(`the relay's worker ${built} is missing: build the relay (node scripts/build.mjs relay)`);
  return new Worker(sourceCode(name), { ...options, eval: true });
}
