import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Each test runs Node child processes; a loaded 2-core machine can take a while.
jest.setTimeout(120_000);

const root = join(__dirname, '../..');
const tokens = ['Primitives', 'Semantic', 'Typography', 'Flags'].map((t) => join(root, 'examples/tokens', `${t}.csv`));
const broken = ['Colors', 'Sizes'].map((t) => join(root, 'examples/broken', `${t}.csv`));
let dir = '';

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'export-command-'));
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'cli'], { cwd: root, stdio: 'pipe', timeout: 60_000 });
});

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/sheets-figma-sync.mjs'), ...args], { cwd: root, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('export', () => {
  test('writes the DTCG files of the example sheet, lists them, and exits 0 with the check summary', () => {
    const out = join(dir, 'dtcg');
    const { status, stdout, stderr } = cli('export', '--out', out, ...tokens);
    expect([status, stderr]).toEqual([0, '']);
    expect(stdout.split('\n')).toEqual([
      ...['Primitives/Value', 'Semantic/Light', 'Semantic/Dark', 'Typography/Desktop', 'Typography/Mobile', 'Flags/Value'].map((f) => `wrote ${join(out, `${f}.tokens.json`)}`),
      `wrote ${join(out, 'tokens.resolver.json')}`,
      '7 files in dtcg format (resolver layout)',
      '',
      '4 collections, 99 variables; 0 errors, 0 warnings',
      '',
    ]);
  });

  test('--format css and --format json write one file each; --mode picks a mode', () => {
    expect(cli('export', '--format', 'css', '--out', join(dir, 'css'), ...tokens).status).toBe(0);
    expect(readFileSync(join(dir, 'css/tokens.css'), 'utf8')).toContain('[data-semantic="dark"] {\n  --semantic-color-bg-default: var(--primitives-color-gray-900);');
    expect(cli('export', '--format=json', '--mode', 'Dark', '--out', join(dir, 'json'), ...tokens).status).toBe(0);
    const json = JSON.parse(readFileSync(join(dir, 'json/tokens.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
    expect([Object.keys(json.Semantic!), json.Semantic!.Dark!['color/bg/default'], Object.keys(json.Typography!)]).toEqual([['Dark'], '#111827', ['Desktop']]);
  });

  test('a sheet with errors exports its good rows, prints every problem as check does, and exits 1', () => {
    const out = join(dir, 'broken');
    const { status, stdout } = cli('export', '--format', 'json', '--out', out, ...broken);
    expect(status).toBe(1);
    const check = cli('check', ...broken).stdout.split('\n');
    const problems = check.slice(check.indexOf('Problems:'));
    expect(stdout.split('\n').slice(stdout.split('\n').indexOf('Problems:'))).toEqual(problems);
    const json = JSON.parse(readFileSync(join(out, 'tokens.json'), 'utf8')) as Record<string, Record<string, Record<string, unknown>>>;
    expect(Object.keys(json.Colors!.Light!)).toEqual(['color/brand/primary', 'color/surface', 'color/vivid']);
  });

  test('bad usage exits 2 with a message naming the option', () => {
    expect(cli('export', ...tokens).stderr.split('\n')[0]).toBe('sheets-figma-sync: export needs --out <dir>, the folder to write the token files into');
    const format = cli('export', '--format', 'yaml', '--out', join(dir, 'x'), ...tokens);
    expect([format.status, format.stderr]).toEqual([2, 'sheets-figma-sync: --format: format "yaml" is not one of dtcg, json, css\n']);
    const layout = cli('export', '--format', 'css', '--layout', 'single', '--out', join(dir, 'x'), ...tokens);
    expect([layout.status, layout.stderr]).toEqual([2, 'sheets-figma-sync: --layout: layout applies to the dtcg format only, not css\n']);
    expect(cli('export', '--out').stderr.split('\n')[0]).toBe('sheets-figma-sync: --out needs a value');
    expect(cli('check', '--out', 'x', ...tokens).stderr.split('\n')[0]).toBe('sheets-figma-sync: option --out does not apply to check');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });

  test('an output folder that cannot be written exits 2 naming the file', () => {
    const blocker = join(dir, 'file-not-folder');
    writeFileSync(blocker, '');
    const { status, stderr } = cli('export', '--out', blocker, ...tokens);
    expect(status).toBe(2);
    expect(stderr.startsWith(`sheets-figma-sync: cannot write ${join(blocker, 'Primitives/Value.tokens.json')}: `)).toBe(true);
  });
});

describe('import', () => {
  test('reads back what export wrote: the same tabs, a clean check, exit 0', () => {
    const out = join(dir, 'dtcg');
    if (!existsSync(out)) expect(cli('export', '--out', out, ...tokens).status).toBe(0);
    const sheet = join(dir, 'sheet');
    const { status, stdout } = cli('import', '--out', sheet, join(out, 'tokens.resolver.json'));
    expect(status).toBe(0);
    expect(stdout.split('\n').at(-2)).toBe('the written tabs: 4 collections, 99 variables; 0 errors, 0 warnings');
    expect(readdirSync(sheet).sort()).toEqual(['Flags.csv', 'Primitives.csv', 'Semantic.csv', 'Typography.csv']);
    expect(cli('check', ...readdirSync(sheet).map((f) => join(sheet, f))).status).toBe(0);
  });

  test('--json prints the report, with left-out tokens counted', () => {
    const file = join(dir, 'motion.tokens.json');
    writeFileSync(file, JSON.stringify({ fast: { $type: 'duration', $value: { value: 150, unit: 'ms' } }, gap: { $type: 'dimension', $value: { value: 1, unit: 'rem' } } }));
    const { status, stdout } = cli('import', '--json', '--out', join(dir, 'motion'), file);
    expect(status).toBe(0);
    const report = JSON.parse(stdout) as { leftOut: unknown; converted: unknown; tabs: unknown };
    expect(report.leftOut).toEqual([{ what: 'duration', count: 1, examples: ['motion::fast'] }]);
    expect(report.converted).toEqual([{ what: 'rem → px at 16 px per rem', count: 1, examples: ['motion::gap'] }]);
    expect(report.tabs).toEqual([{ name: 'motion', file: join(dir, 'motion/motion.csv'), modes: ['Value'], rows: 1 }]);
  });

  test('a token that cannot be read exits 1 and says why', () => {
    const file = join(dir, 'dangling.tokens.json');
    writeFileSync(file, JSON.stringify({ x: { $type: 'color', $value: '{missing}' } }));
    const { status, stdout } = cli('import', '--out', join(dir, 'dangling'), file);
    expect(status).toBe(1);
    expect(stdout.split('\n')).toContain('  dangling::x  {missing} points at no token in the files given');
  });

  test('a missing or non-JSON file exits 2 naming it', () => {
    const missing = join(dir, 'nope.json');
    expect(cli('import', '--out', join(dir, 'n'), missing)).toEqual({ status: 2, stdout: '', stderr: `sheets-figma-sync: cannot read ${missing}: no such file\n` });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ nope');
    const result = cli('import', '--out', join(dir, 'n'), bad);
    expect([result.status, result.stderr.startsWith(`sheets-figma-sync: ${bad} is not valid JSON: `)]).toEqual([2, true]);
  });
});
