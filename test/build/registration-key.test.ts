// Tests the REGISTRATION_KEY build setting: the key lands in the add-on's bundle (which sends it on
// claims), never in the Figma plugin's files nor in what the build prints, and a malformed one fails
// the build without echoing it. Builds run in a temporary copy, so dist/ is never touched.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { copyForBuild, type BuildCopy } from '../helpers/build-copy';

const ROOT = join(__dirname, '../..');
const KEY = 'operator-registration-key-7f3a9c2e';

const copies: BuildCopy[] = [];
afterAll(() => {
  for (const copy of copies) copy.remove();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

test('the key is built into the add-on only: not into the plugin, not into the build output', async () => {
  const copy = copyForBuild('registration-key-', ROOT);
  copies.push(copy);
  const result = await copy.build(['apps-script', 'figma-plugin'], 'https://relay.example.com', { REGISTRATION_KEY: KEY });
  expect(result.code).toBe(0);
  expect(result.stderr).not.toContain(KEY);
  expect(readFileSync(join(copy.dir, 'dist/apps-script/Code.js'), 'utf8')).toContain(JSON.stringify(KEY));
  const pluginFiles = filesUnder(join(copy.dir, 'dist/figma-plugin'));
  expect(pluginFiles.length).toBeGreaterThan(0);
  expect(pluginFiles.filter((file) => readFileSync(file, 'utf8').includes(KEY))).toEqual([]);
  expect(filesUnder(join(copy.dir, 'dist/apps-script')).filter((file) => !file.endsWith('Code.js') && readFileSync(file, 'utf8').includes(KEY))).toEqual([]);
}, 180_000);

test('a key with a space fails the build with one line that names the setting, not the key', async () => {
  const copy = copyForBuild('registration-key-bad-', ROOT);
  copies.push(copy);
  const bad = 'has a space in it 0123456789';
  const result = await copy.build(['apps-script'], 'https://relay.example.com', { REGISTRATION_KEY: bad });
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(
    'build failed: REGISTRATION_KEY must be one key of at least 16 printable characters without spaces or commas (the relay accepts a comma list; build the add-on with one of them)',
  );
}, 180_000);
