// A second real DTCG consumer, Terrazzo's parser, reads what `export` writes for examples/tokens/:
// the resolver document with its per-mode files (every permutation of its modifiers resolved and
// compared with the mapper's values) and the single layout, with its validation rules on.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MapResult, Rgba } from '../../shared/sheet/model';
import { exampleTabs, mapExamples, resolveValue, root, withinOneStep } from '../helpers/token-expectations';

let dir = '';
let mapped: MapResult;

// Each test runs Node child processes; a loaded 2-core machine can take a while.
jest.setTimeout(120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'terrazzo-'));
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'cli'], { cwd: root, stdio: 'pipe', timeout: 60_000 });
  for (const layout of ['resolver', 'single']) {
    execFileSync(process.execPath, [join(root, 'bin/sheets-figma-sync.mjs'), 'export', '--layout', layout, '--out', join(dir, layout), ...exampleTabs], { cwd: root, stdio: 'pipe', timeout: 60_000 });
  }
  mapped = mapExamples();
});

/**
 * Terrazzo is ESM-only, so it runs in a child Node process (from the repository, to find it):
 * parses the given files with the default config (the core validation rules as errors) and prints
 * {permutations: [{input, tokens: {id: {type, value}}}]} as JSON, or fails with Terrazzo's message.
 */
const PARSE = `
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { defineConfig, parse, Logger } from '@terrazzo/parser';

const files = JSON.parse(process.argv[1]);
const config = defineConfig({}, { cwd: pathToFileURL(process.cwd() + '/') });
const inputs = files.map((f) => ({ filename: pathToFileURL(f), src: readFileSync(f, 'utf8') }));
const { tokens, resolver } = await parse(inputs, { config, logger: new Logger({ level: 'silent' }) });
const pick = (set) => Object.fromEntries(Object.entries(set).map(([id, t]) => [id, { type: t.$type, value: t.$value }]));
const permutations = resolver.listPermutations().map((input) => ({ input, tokens: pick(resolver.apply(input)) }));
process.stdout.write(JSON.stringify({ count: Object.keys(tokens).length, permutations }));
`;

type Parsed = { count: number; permutations: { input: Record<string, string>; tokens: Record<string, { type: string; value: unknown }> }[] };

function terrazzo(files: string[]): { status: number | null; parsed?: Parsed; stderr: string } {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', PARSE, JSON.stringify(files)], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: result.status, stderr: result.stderr, parsed: result.status === 0 ? (JSON.parse(result.stdout) as Parsed) : undefined };
}

/** Terrazzo's resolved value compared with the mapper's, per DTCG type. */
function sameValue(type: string, actual: unknown, expected: unknown): boolean {
  switch (type) {
    case 'color': {
      const c = actual as { colorSpace: string; components: number[]; alpha?: number };
      const e = expected as Rgba;
      return c.colorSpace === 'srgb' && withinOneStep({ r: c.components[0]!, g: c.components[1]!, b: c.components[2]!, a: c.alpha ?? 1 }, e);
    }
    case 'fontFamily':
      // Terrazzo normalizes a font family to a list of fonts.
      return Array.isArray(actual) && actual.length === 1 && actual[0] === expected;
    case 'dimension':
      return (actual as { value: number; unit: string }).unit === 'px' && (actual as { value: number }).value === expected;
    default:
      return actual === expected;
  }
}

test('the resolver document parses and validates, and every permutation resolves to the mapper\'s values', () => {
  const { status, parsed, stderr } = terrazzo([join(dir, 'resolver/tokens.resolver.json')]);
  expect([status, stderr]).toEqual([0, '']);
  expect(parsed!.count).toBe(99);
  // Semantic (Light, Dark) × Typography (Desktop, Mobile).
  expect(parsed!.permutations.map((p) => p.input)).toEqual([
    { Semantic: 'Light', Typography: 'Desktop' },
    { Semantic: 'Dark', Typography: 'Desktop' },
    { Semantic: 'Light', Typography: 'Mobile' },
    { Semantic: 'Dark', Typography: 'Mobile' },
  ]);
  for (const { input, tokens } of parsed!.permutations) {
    const bad: string[] = [];
    for (const collection of mapped.collections) {
      for (const variable of collection.variables) {
        const id = [collection.name, ...variable.name.split('/')].join('.');
        const token = tokens[id];
        const { value } = resolveValue(mapped.collections, collection, variable, input);
        if (!token || !sameValue(token.type, token.value, value)) bad.push(`${id}: ${JSON.stringify(token)} ≠ ${JSON.stringify(value)}`);
      }
    }
    expect([input, bad]).toEqual([input, []]);
  }
});

test('the single layout parses and validates as plain DTCG files', () => {
  const files = ['Flags', 'Primitives', 'Semantic', 'Typography'].map((t) => join(dir, 'single', `${t}.tokens.json`));
  const { status, parsed, stderr } = terrazzo(files);
  expect([status, stderr]).toEqual([0, '']);
  expect(parsed!.count).toBe(99);
});

test('Terrazzo would catch a broken file: a colour with two components is refused', () => {
  const bad = join(dir, 'bad.tokens.json');
  writeFileSync(bad, JSON.stringify({ a: { $type: 'color', $value: { colorSpace: 'srgb', components: [1, 0] } } }));
  const { status } = terrazzo([bad]);
  expect(status).not.toBe(0);
});
