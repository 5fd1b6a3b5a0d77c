// Builds the add-on with scripts/build.mjs into a temporary copy of the sources, so each test file
// runs the real bundle without racing other tests (or other test files) that rebuild dist/.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..');
const SOURCES = ['scripts', 'shared', 'apps-script', 'appsscript.json', 'tsconfig.json', 'package.json'];

export interface BuiltAddon {
  /** dist/apps-script of the copy: Code.js, Sidebar.html, appsscript.json. */
  distDir: string;
  remove(): void;
}

/** `root` is the repository (the bench, bundled elsewhere, passes process.cwd()). */
export async function buildAddon(relayUrl = 'https://relay.example.com', root = ROOT): Promise<BuiltAddon> {
  const dir = mkdtempSync(join(tmpdir(), 'addon-build-'));
  for (const source of SOURCES) cpSync(join(root, source), join(dir, source), { recursive: true });
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['scripts/build.mjs', 'apps-script'], { cwd: dir, env: { ...process.env, RELAY_URL: relayUrl }, timeout: 120_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`the add-on build failed: ${stderr || err.message}`)) : resolve(),
    );
  });
  return { distDir: join(dir, 'dist', 'apps-script'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}
