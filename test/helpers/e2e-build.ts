// Builds what the end-to-end chain runs, exactly as shipped: the add-on bundle and the plugin
// (code.js, ui.html) by scripts/build.mjs in a temporary copy of the sources (other test files
// rebuild dist/ while jest runs), and the browser page that hosts the plugin (demo/page).
//
// API
//   buildProduct() → Promise<BuiltProduct>   one build per test process (later calls share it)
//   BuiltProduct
//     addonDist   dist/apps-script of the copy (Code.js, Sidebar.html, appsscript.json)
//     uiHtml      the built dist/figma-plugin/ui.html
//     pageScript  the host page's script: plugin main thread + Figma fake + variables view
//     remove()    deletes the copy (startSheet and startFigma register it with the teardown)

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundlePageScript } from '../../demo/bundle-page';
import { builtOrThrow, copyForBuild } from './build-copy';
import { projectRoot } from './e2e-project-root';

const ROOT = projectRoot();

export interface BuiltProduct {
  addonDist: string;
  uiHtml: string;
  pageScript: string;
  remove(): void;
}

let shared: Promise<BuiltProduct> | undefined;

export function buildProduct(): Promise<BuiltProduct> {
  shared ??= build();
  return shared;
}

async function build(): Promise<BuiltProduct> {
  const copy = copyForBuild('e2e-build-', ROOT);
  try {
    const [built, pageScript] = await Promise.all([copy.build(['apps-script', 'figma-plugin'], undefined), bundlePageScript()]);
    builtOrThrow(built, 'the build');
    return {
      addonDist: join(copy.dir, 'dist', 'apps-script'),
      uiHtml: readFileSync(join(copy.dir, 'dist', 'figma-plugin', 'ui.html'), 'utf8'),
      pageScript,
      remove: copy.remove,
    };
  } catch (err) {
    copy.remove();
    throw err;
  }
}
