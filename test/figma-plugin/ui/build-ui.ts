// Builds the plugin with scripts/build.mjs in a temporary copy of the sources (test/helpers/build-copy.ts)
// and returns the built ui.html and manifest.json, so this suite never rewrites dist/ while other test
// files read or run it.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtOrThrow, copyForBuild } from '../../helpers/build-copy';
import type { NetworkAccess } from './figma-csp';

const ROOT = resolve(__dirname, '..', '..', '..');
/** What scripts/build.mjs reads for the figma-plugin target. */
const SOURCES = ['scripts', 'shared', 'figma-plugin', 'tsconfig.json', 'package.json'];

export interface BuiltPlugin {
  uiHtml: string;
  manifest: { networkAccess: NetworkAccess } & Record<string, unknown>;
}

export async function buildPlugin(): Promise<BuiltPlugin> {
  const copy = copyForBuild('ui-build-', ROOT, SOURCES);
  try {
    // RELAY_URL unset: the manifest gets the default relay; the window connects to what its pairing code names.
    builtOrThrow(await copy.build(['figma-plugin'], undefined), 'node scripts/build.mjs figma-plugin');
    const dir = join(copy.dir, 'dist', 'figma-plugin');
    return { uiHtml: readFileSync(join(dir, 'ui.html'), 'utf8'), manifest: JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as BuiltPlugin['manifest'] };
  } finally {
    copy.remove();
  }
}
