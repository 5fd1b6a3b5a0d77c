// Style Dictionary 5 (its real API, through the README's build script and config run as written)
// builds CSS from the files `export` writes for examples/tokens/, and every custom property matches
// the mapper's value in that mode: colours within 1/255, numbers exact, aliases followed.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MapResult } from '../../shared/sheet/model';
import { cssColor, exampleTabs, mapExamples, modeChoices, resolveValue, root, withinOneStep, type ModeChoice } from '../helpers/token-expectations';

// Each test runs Node child processes; a loaded 2-core machine can take a while.
jest.setTimeout(120_000);

let dir = '';
let mapped: MapResult;

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'style-dictionary-'));
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'cli'], { cwd: root, stdio: 'pipe', timeout: 60_000 });
  mapped = mapExamples();
});

/** The README's code blocks marked "tested as written", in order. */
function readmeBlocks(): string[] {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks: string[] = [];
  const re = /<!-- tested as written by test\/tools\/style-dictionary\.test\.ts -->\n```\w+\n([\s\S]*?)\n```/g;
  for (let m = re.exec(readme); m; m = re.exec(readme)) blocks.push(m[1]!);
  return blocks;
}

function exportTo(folder: string, ...options: string[]): void {
  execFileSync(process.execPath, [join(root, 'bin/sheets-figma-sync.mjs'), 'export', ...options, '--out', join(folder, 'tokens'), ...exampleTabs], { cwd: root, stdio: 'pipe', timeout: 60_000 });
}

/** `--name: value;` lines of a Style Dictionary css/variables file (a trailing comment allowed). */
function customProperties(css: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of css.split('\n')) {
    const m = /^\s*(--[\w-]+):\s*(.*?);(?:\s*\/\*\*.*\*\/)?\s*$/.exec(line);
    if (m) out.set(m[1]!, m[2]!);
  }
  return out;
}

/** Every variable's custom property compared with the mapper's value; returns the mismatches (none expected). */
function mismatches(properties: Map<string, string>, modes: ModeChoice): string[] {
  const bad: string[] = [];
  const seen = new Set<string>();
  for (const collection of mapped.collections) {
    for (const variable of collection.variables) {
      const name = `--${[collection.name, ...variable.name.split('/')].join('-').toLowerCase()}`;
      seen.add(name);
      const actual = properties.get(name);
      const { value, end } = resolveValue(mapped.collections, collection, variable, modes);
      const fail = (why: string) => bad.push(`${name}: ${why} (got ${String(actual)}, expected ${JSON.stringify(value)})`);
      if (actual === undefined) fail('missing');
      else if (typeof value === 'object') {
        if (!withinOneStep(cssColor(actual), value)) fail('colour differs by more than 1/255');
      } else if (typeof value === 'number') {
        if (Number.parseFloat(actual) !== value || (end.unit === 'px') !== actual.endsWith('px')) fail('number differs');
      } else if (typeof value === 'boolean') {
        if (actual !== String(value)) fail('boolean differs');
      } else if (actual.replace(/^'(.*)'$/, '$1') !== value) fail('string differs');
    }
  }
  for (const name of properties.keys()) if (!seen.has(name)) bad.push(`${name}: not a variable of the sheet`);
  return bad;
}

test('the README build script runs as written and gives one CSS file per mode, every value matching the mapper', () => {
  const folder = join(dir, 'resolver');
  mkdirSync(folder);
  symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
  exportTo(folder);
  const [script] = readmeBlocks();
  writeFileSync(join(folder, 'build-tokens.mjs'), script!);
  execFileSync(process.execPath, ['build-tokens.mjs'], { cwd: folder, stdio: 'pipe', timeout: 120_000 });
  const choices = modeChoices(mapped.collections);
  expect(readdirSync(join(folder, 'build')).sort()).toEqual(choices.map((c) => `${c.label}.css`).sort());
  for (const { label, modes } of choices) {
    const properties = customProperties(readFileSync(join(folder, 'build', `${label}.css`), 'utf8'));
    expect(properties.size).toBe(99);
    expect([label, mismatches(properties, modes)]).toEqual([label, []]);
  }
});

test('the README config builds the single layout as written: the default modes, every value matching the mapper', () => {
  const folder = join(dir, 'single');
  mkdirSync(folder);
  symlinkSync(join(root, 'node_modules'), join(folder, 'node_modules'), 'dir');
  exportTo(folder, '--layout', 'single');
  const config = readmeBlocks()[1]!;
  writeFileSync(join(folder, 'sd.config.json'), config);
  execFileSync(process.execPath, [join(root, 'node_modules/style-dictionary/bin/style-dictionary.js'), 'build', '--config', 'sd.config.json'], { cwd: folder, stdio: 'pipe', timeout: 120_000 });
  const properties = customProperties(readFileSync(join(folder, 'build/tokens.css'), 'utf8'));
  expect(properties.size).toBe(99);
  expect(mismatches(properties, {})).toEqual([]);
});

test('a wrong value would be caught: the comparison fails on a property that differs', () => {
  const properties = new Map([['--primitives-color-white', '#fefefe']]);
  expect(mismatches(properties, {}).some((m) => m.startsWith('--primitives-color-white: colour differs'))).toBe(false);
  const off = new Map([['--primitives-color-white', '#fdfdfd']]);
  expect(mismatches(off, {}).some((m) => m.startsWith('--primitives-color-white: colour differs'))).toBe(true);
});
