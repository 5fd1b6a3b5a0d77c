// Builds the plugin with scripts/build.mjs in a temporary copy of the sources and returns the
// built ui.html, so this suite never rewrites dist/ while other test files read or run it.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..', '..', '..');
/** What scripts/build.mjs reads for the figma-plugin target. */
const SOURCES = ['scripts', 'shared', 'figma-plugin', 'tsconfig.json', 'package.json'];

export async function buildUiHtml(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'ui-build-'));
  try {
    for (const source of SOURCES) cpSync(join(ROOT, source), join(dir, source), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    await new Promise<void>((done, fail) =>
      execFile(process.execPath, ['scripts/build.mjs', 'figma-plugin'], { cwd: dir, timeout: 60_000 }, (err, _out, stderr) =>
        err ? fail(new Error(`node scripts/build.mjs figma-plugin failed: ${stderr || err.message}`)) : done(),
      ),
    );
    return readFileSync(join(dir, 'dist', 'figma-plugin', 'ui.html'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
