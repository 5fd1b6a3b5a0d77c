// Builds the add-on with scripts/build.mjs into a temporary copy of the sources, so each test file
// runs the real bundle without racing other tests (or other test files) that rebuild dist/.

import { join } from 'node:path';
import { builtOrThrow, copyForBuild } from '../../helpers/build-copy';

const ROOT = join(__dirname, '..', '..', '..');
/** What scripts/build.mjs reads for the apps-script target. */
const SOURCES = ['scripts', 'shared', 'apps-script', 'appsscript.json', 'tsconfig.json', 'package.json'];

export interface BuiltAddon {
  /** dist/apps-script of the copy: Code.js, Sidebar.html, appsscript.json. */
  distDir: string;
  remove(): void;
}

/** `root` is the repository (the bench, bundled elsewhere, passes process.cwd()); `registrationKey` is built in. */
export async function buildAddon(relayUrl = 'https://relay.example.com', root = ROOT, registrationKey?: string): Promise<BuiltAddon> {
  const copy = copyForBuild('addon-build-', root, SOURCES);
  try {
    builtOrThrow(await copy.build(['apps-script'], relayUrl, registrationKey === undefined ? {} : { REGISTRATION_KEY: registrationKey }), 'the add-on build');
  } catch (err) {
    copy.remove();
    throw err;
  }
  return { distDir: join(copy.dir, 'dist', 'apps-script'), remove: copy.remove };
}
