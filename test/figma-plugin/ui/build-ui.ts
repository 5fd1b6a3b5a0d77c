// Builds the plugin with scripts/build.mjs in a temporary copy of the sources (test/helpers/build-copy.ts)
// and returns the built ui.html, so this suite never rewrites dist/ while other test files read or run it.

import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { builtOrThrow, copyForBuild } from '../../helpers/build-copy';

const ROOT = resolve(__dirname, '..', '..', '..');
/** What scripts/build.mjs reads for the figma-plugin target. */
const SOURCES = ['scripts', 'shared', 'figma-plugin', 'tsconfig.json', 'package.json'];

export async function buildUiHtml(): Promise<string> {
  const copy = copyForBuild('ui-build-', ROOT, SOURCES);
  try {
    // RELAY_URL unset: the manifest gets the default relay; the window connects to what its pairing code names.
    builtOrThrow(await copy.build(['figma-plugin'], undefined), 'node scripts/build.mjs figma-plugin');
    return readFileSync(join(copy.dir, 'dist', 'figma-plugin', 'ui.html'), 'utf8');
  } finally {
    copy.remove();
  }
}
