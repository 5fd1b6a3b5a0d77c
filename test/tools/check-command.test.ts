import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonReport } from '../../tools/check-command';

const root = join(__dirname, '../..');
const tokens = ['Primitives', 'Semantic', 'Typography', 'Flags'].map((t) => join(root, 'examples/tokens', `${t}.csv`));
const broken = ['Colors', 'Sizes'].map((t) => join(root, 'examples/broken', `${t}.csv`));
let dir = '';

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'check-command-'));
  execFileSync(process.execPath, [join(root, 'scripts/build.mjs'), 'cli'], { cwd: root, stdio: 'pipe', timeout: 60_000 });
});

/** Runs the built command line as a user would: node bin/sheets-figma-sync.mjs … (in `cwd`, the repository by default). */
function cliIn(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(root, 'bin/sheets-figma-sync.mjs'), ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const cli = (...args: string[]) => cliIn(root, ...args);

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('check on the example token sheet', () => {
  test('exits 0 and prints every collection with its modes and variables as JSON, with no problems', () => {
    const { status, stdout, stderr } = cli('check', '--json', ...tokens);
    expect([status, stderr]).toEqual([0, '']);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.problems).toEqual([]);
    expect(report.collections.map((c) => [c.name, c.modes, c.variables.length])).toEqual([
      ['Primitives', ['Value'], 59],
      ['Semantic', ['Light', 'Dark'], 20],
      ['Typography', ['Desktop', 'Mobile'], 16],
      ['Flags', ['Value'], 4],
    ]);
    const find = (tab: string, name: string) => report.collections.find((c) => c.name === tab)!.variables.find((v) => v.name === name);
    expect(find('Primitives', 'color/overlay/scrim')).toEqual({ name: 'color/overlay/scrim', type: 'COLOR', valuesByMode: { Value: { r: 17 / 255, g: 24 / 255, b: 39 / 255, a: 0.6 } } });
    expect(find('Primitives', 'spacing/4')).toEqual({ name: 'spacing/4', type: 'FLOAT', valuesByMode: { Value: 16 } });
    expect(find('Semantic', 'color/bg/default')).toEqual({
      name: 'color/bg/default',
      type: 'COLOR',
      valuesByMode: { Light: { alias: { collection: 'Primitives', name: 'color/white' } }, Dark: { alias: { collection: 'Primitives', name: 'color/gray/900' } } },
    });
    expect(find('Typography', 'font/family/sans')).toEqual({ name: 'font/family/sans', type: 'STRING', valuesByMode: { Desktop: 'Inter', Mobile: 'Inter' } });
    expect(find('Flags', 'feature/dense-tables')).toEqual({ name: 'feature/dense-tables', type: 'BOOLEAN', valuesByMode: { Value: true } });
  });

  test('prints colours as hex and aliases as {Tab::name} for a person, then a summary', () => {
    const { status, stdout } = cli('check', ...tokens);
    expect(status).toBe(0);
    const lines = stdout.split('\n');
    expect(lines).toContain('Semantic: 2 modes (Light, Dark), 20 variables');
    expect(lines.find((l) => l.trimStart().startsWith('color/overlay/highlight '))!.split(/\s{2,}/)).toEqual(['', 'color/overlay/highlight', 'COLOR', '#3b82f633']);
    expect(lines.find((l) => l.trimStart().startsWith('color/text/link '))!.split(/\s{2,}/)).toEqual(['', 'color/text/link', 'COLOR', 'Light: {Primitives::color/blue/600}', 'Dark: {Primitives::color/blue/300}']);
    expect(lines.filter(Boolean).at(-1)).toBe('4 collections, 99 variables; 0 errors, 0 warnings');
  });
});

describe('check on the broken example', () => {
  test('exits 1 and reports every mistake at its cell, while the good rows still map', () => {
    const { status, stdout } = cli('check', '--json', ...broken);
    expect(status).toBe(1);
    const report = JSON.parse(stdout) as JsonReport;
    expect(report.problems.map((p) => [`${p.tab}!${p.cell}`, p.severity, p.code])).toEqual([
      ['Colors!A3', 'error', 'NAME_DUPLICATE'],
      ['Colors!A4', 'error', 'NAME_FORBIDDEN_CHARACTER'],
      ['Colors!B5', 'error', 'COLOR_MALFORMED'],
      ['Colors!B6', 'error', 'ALIAS_MISSING'],
      ['Colors!C7', 'warning', 'VALUE_MISSING_MODE'],
      ['Colors!C8', 'error', 'TYPE_CONFLICT'],
      ['Colors!D9', 'error', 'SCOPE_NOT_FOR_TYPE'],
      ['Colors!B10', 'error', 'ALIAS_CYCLE'],
      ['Colors!B11', 'error', 'ALIAS_CYCLE'],
      ['Colors!C11', 'error', 'ALIAS_CYCLE'],
      ['Colors!B12', 'warning', 'COLOR_OUT_OF_GAMUT'],
      ['Sizes!B3', 'error', 'VALUE_NOT_NUMBER'],
      ['Sizes!B4', 'error', 'ALIAS_TYPE_MISMATCH'],
      ['Sizes!C5', 'error', 'TYPE_UNKNOWN'],
      ['Sizes!A6', 'warning', 'NAME_MISSING'],
      ['Sizes!B7', 'error', 'VALUE_MISSING_DEFAULT'],
      ['Sizes!B8', 'error', 'ALIAS_TARGET_BROKEN'],
    ]);
    expect(report.collections.map((c) => [c.name, c.variables.map((v) => v.name)])).toEqual([
      ['Colors', ['color/brand/primary', 'color/surface', 'color/vivid']],
      ['Sizes', ['space/sm']],
    ]);
  });

  test('prints each problem as Tab!Cell, severity and message', () => {
    const { status, stdout } = cli('check', ...broken);
    expect(status).toBe(1);
    expect(stdout.split('\n')).toContain('Sizes!B3  error    "medium" is not a number; the Type column says number, so write a number like 16 or 16px, or an alias like {spacing/4}');
    expect(stdout.split('\n')).toContain('Sizes!A6  warning  Row 6 has values but no name, so it is left out; write the variable\'s name here, e.g. "color/brand/primary"');
  });
});

describe('check exit status', () => {
  test('a sheet with warnings only exits 0', () => {
    const { status, stdout } = cli('check', '--json', file('Warn.csv', 'Name,Light,Dark\nbg,#fff,\n'));
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).problems.map((p) => [p.tab, p.cell, p.severity, p.code])).toEqual([['Warn', 'C2', 'warning', 'VALUE_MISSING_MODE']]);
  });

  test('two files with the same name make two tabs of that name: an error', () => {
    mkdirSync(join(dir, 'other'), { recursive: true });
    const { status, stdout } = cli('check', '--json', file('Same.csv', 'Name,Value\na,1\n'), file('other/Same.csv', 'Name,Value\nb,2\n'));
    expect(status).toBe(1);
    expect((JSON.parse(stdout) as JsonReport).problems.map((p) => [p.tab, p.cell, p.code])).toEqual([['Same', 'A1', 'TAB_NAME_DUPLICATE']]);
  });

  test('--help prints the usage and exits 0', () => {
    const { status, stdout } = cli('--help');
    expect(status).toBe(0);
    expect(stdout.startsWith('usage: sheets-figma-sync check [--json] <tab.csv>...\n')).toBe(true);
  });

  test('a "--" before the command (as npx passes it on) is ignored, and after it files may start with "-"', () => {
    expect(cli('--', '--help').status).toBe(0);
    file('-Dashed.csv', 'Name,Value\na,1\n');
    const { status, stdout } = cliIn(dir, 'check', '--json', '--', '-Dashed.csv');
    expect(status).toBe(0);
    expect((JSON.parse(stdout) as JsonReport).collections.map((c) => c.name)).toEqual(['-Dashed']);
  });

  test('no arguments is bad usage: exit 2 with a message', () => {
    const { status, stdout, stderr } = cli();
    expect([status, stdout, stderr.split('\n')[0]]).toEqual([2, '', 'sheets-figma-sync: no command given; use check, export, import or pull']);
  });

  test('check without files is bad usage: exit 2', () => {
    const { status, stderr } = cli('check');
    expect([status, stderr.split('\n')[0]]).toEqual([2, 'sheets-figma-sync: check needs at least one CSV file']);
  });

  test('an unknown option is bad usage: exit 2', () => {
    const { status, stderr } = cli('check', '--yaml', tokens[0]!);
    expect([status, stderr.split('\n')[0]]).toEqual([2, 'sheets-figma-sync: unknown option --yaml']);
  });

  test('an unknown command is bad usage: exit 2', () => {
    const { status, stderr } = cli('lint', tokens[0]!);
    expect([status, stderr.split('\n')[0]]).toEqual([2, 'sheets-figma-sync: unknown command "lint"; use check, export, import or pull']);
  });

  test('a file that does not exist exits 2 naming it', () => {
    const missing = join(dir, 'Missing.csv');
    const { status, stdout, stderr } = cli('check', missing);
    expect([status, stdout, stderr]).toEqual([2, '', `sheets-figma-sync: cannot read ${missing}: no such file\n`]);
  });

  test('a directory instead of a file exits 2', () => {
    const { status, stderr } = cli('check', dir);
    expect([status, stderr]).toEqual([2, `sheets-figma-sync: cannot read ${dir}: it is a directory\n`]);
  });

  test('a file that is not valid CSV exits 2 naming it', () => {
    const bad = file('Bad.csv', 'Name,Value\n"unclosed,1\n');
    const { status, stderr } = cli('check', bad);
    expect(status).toBe(2);
    expect(stderr.startsWith(`sheets-figma-sync: ${bad} is not valid CSV: `)).toBe(true);
  });
});
