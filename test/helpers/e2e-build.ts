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

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePageScript } from '../../demo/bundle-page';
import { projectRoot } from './e2e-project-root';

const ROOT = projectRoot();
const SOURCES = ['scripts', 'shared', 'apps-script', 'figma-plugin', 'appsscript.json', 'tsconfig.json', 'package.json'];

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
  const dir = mkdtempSync(join(tmpdir(), 'e2e-build-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  for (const source of SOURCES) cpSync(join(ROOT, source), join(dir, source), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  const [, pageScript] = await Promise.all([
    new Promise<void>((resolve, reject) => {
      execFile(process.execPath, ['scripts/build.mjs', 'apps-script', 'figma-plugin'], { cwd: dir, timeout: 120_000 }, (err, _out, stderr) =>
        err ? reject(new Error(`the build failed: ${stderr || err.message}`)) : resolve(),
      );
    }),
    bundlePageScript(),
  ]);
  return {
    addonDist: join(dir, 'dist', 'apps-script'),
    uiHtml: readFileSync(join(dir, 'dist', 'figma-plugin', 'ui.html'), 'utf8'),
    pageScript,
    remove,
  };
}
