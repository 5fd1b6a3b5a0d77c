// Bundles the host page's script (demo/page/index.ts: the plugin's main thread, the Figma fake and
// the views) for the browser with esbuild, as one IIFE string the page server serves.

import { build } from 'esbuild';
import { join } from 'node:path';
import { projectRoot } from '../test/helpers/e2e-project-root';

const ROOT = projectRoot();

export async function bundlePageScript(): Promise<string> {
  const out = await build({
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
