// Bundles the host page's script (demo/page/index.ts: the plugin's main thread, the Figma fake and
// the views) for the browser with esbuild, as one IIFE string the page server serves.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Esbuild from 'esbuild';
import { projectRoot } from '../test/helpers/e2e-project-root';

const ROOT = projectRoot();

/** esbuild, required from the project at run time (never bundled: it finds its own native binary). */
function esbuild(): typeof Esbuild {
  return createRequire(join(ROOT, 'package.json'))('esbuild') as typeof Esbuild;
}

export async function bundlePageScript(): Promise<string> {
  const out = await esbuild().build({
    entryPoints: [join(ROOT, 'demo', 'page', 'index.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    sourcemap: 'inline',
    legalComments: 'none',
    logLevel: 'warning',
    nodePaths: [join(ROOT, 'node_modules')],
  });
  return out.outputFiles[0]!.text;
}
