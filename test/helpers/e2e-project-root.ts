// The project's root folder, found from wherever this code runs: its source file under jest, a
// bundle built into node_modules/.cache by the demo, or a bench bundle in a temporary folder.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const PACKAGE_NAME = 'sheets-figma-sync';

function findFrom(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === PACKAGE_NAME) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Above this file, else above the working folder (a bench bundle runs from a temporary folder, cwd the project). */
export function projectRoot(): string {
  const root = findFrom(__dirname) ?? findFrom(process.cwd());
  if (!root) throw new Error(`no ${PACKAGE_NAME} package.json above ${__dirname} or ${process.cwd()}`);
  return root;
}
