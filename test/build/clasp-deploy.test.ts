// The README's deploy commands, run with the real clasp (node_modules/@google/clasp) in a temporary
// copy of the project's .clasp.json and a built-looking dist/apps-script, as far as clasp runs
// without Google: each command must get past its own checks of .clasp.json and stop only where it
// needs credentials ("No credentials found."), never at "Project file already exists." (which clasp
// 3.4.1 prints, exiting 0 and creating nothing, for any .clasp.json with a scriptId key, even "").

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const ROOT = join(__dirname, '../..');
const CLASP = join(ROOT, 'node_modules/@google/clasp/build/src/index.js');
const NO_CREDENTIALS = 'No credentials found.';
const ALREADY_EXISTS = 'Project file already exists.';

/** The `npx clasp …` lines of the README's "Deploy the add-on" section, in order (login excluded: it is interactive). */
function readmeClaspCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('## Deploy the add-on');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end);
  const commands = new Set<string>();
  for (const m of section.matchAll(/(?:^|`)\s*(npx clasp [^`\n]+)/gm)) commands.add(m[1]!.trim());
  return [...commands].filter((c) => !c.startsWith('npx clasp login'));
}

/** Splits a command line the way a shell would for these simple lines (double quotes, no escapes). */
function argv(command: string): string[] {
  return [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}

const PLACEHOLDERS: Record<string, string> = {
  '<SPREADSHEET_ID>': '1FakeSpreadsheetIdForTheTest',
  '<SCRIPT_ID>': '1FakeScriptIdForTheTest',
  '<DEPLOYMENT_ID>': 'AKfycbFakeDeploymentId',
};

interface Run {
  code: number | null;
  out: string;
}

describe('the README deploy path with the real clasp, offline', () => {
  let dir: string;
  const run = (args: string[]): Run => {
    const r = spawnSync(process.execPath, [CLASP, ...args], {
      cwd: dir,
      // No credentials anywhere: a home of its own, and none of clasp's environment settings.
      env: { PATH: process.env.PATH ?? '', HOME: join(dir, 'home'), NO_COLOR: '1' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    return { code: r.status, out: `${r.stdout}${r.stderr}` };
  };
  const setClaspJson = (content: string): void => writeFileSync(join(dir, '.clasp.json'), content);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'clasp-deploy-'));
    mkdirSync(join(dir, 'home'));
    mkdirSync(join(dir, 'dist/apps-script'), { recursive: true });
    for (const file of ['Code.js', 'Sidebar.html', 'appsscript.json']) writeFileSync(join(dir, 'dist/apps-script', file), file.endsWith('.json') ? '{}' : '// built');
    setClaspJson(readFileSync(join(ROOT, '.clasp.json'), 'utf8'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('the committed .clasp.json names rootDir dist/apps-script and no scriptId key', () => {
    expect(JSON.parse(readFileSync(join(ROOT, '.clasp.json'), 'utf8'))).toEqual({ rootDir: 'dist/apps-script' });
  });

  it('the README gives create (bound and standalone), clone, push, create-version, create-deployment and update-deployment', () => {
    expect(readmeClaspCommands().map((c) => argv(c)[2])).toEqual(['create', 'create', 'clone', 'push', 'create-version', 'create-deployment', 'create-version', 'update-deployment']);
  });

  it('a .clasp.json with "scriptId": "" makes clasp create print "Project file already exists." and create nothing (the bug the committed file avoids)', () => {
    setClaspJson('{ "scriptId": "", "rootDir": "dist/apps-script" }');
    const r = run(['create', '--type', 'standalone', '--title', 'T', '--rootDir', 'dist/apps-script']);
    expect([r.code, r.out.trim()]).toEqual([0, ALREADY_EXISTS]);
  });

  it('each README command gets past its project checks and stops only for credentials; push and status use dist/apps-script', () => {
    const seen: [string, number | null, string][] = [];
    for (const line of readmeClaspCommands()) {
      let command = line;
      for (const [k, v] of Object.entries(PLACEHOLDERS)) command = command.split(k).join(v);
      const args = argv(command).slice(2);
      const verb = args[0]!;
      if (verb === 'create' || verb === 'clone') setClaspJson(readFileSync(join(ROOT, '.clasp.json'), 'utf8'));
      else {
        // What create or clone leaves behind with credentials: clasp's updateSettings() writes the id and rootDir.
        const rootDir = relative(dir, resolve(dir, 'dist/apps-script'));
        setClaspJson(JSON.stringify({ scriptId: PLACEHOLDERS['<SCRIPT_ID>'], rootDir }));
      }
      const r = run(args);
      seen.push([verb, r.code, r.out.trim()]);
    }
    expect(seen).toEqual(seen.map(([verb]) => [verb, 1, NO_CREDENTIALS]));
    expect(seen.some(([, , out]) => out.includes(ALREADY_EXISTS))).toBe(false);
    // What push would send, as clasp lists it offline: the build, from rootDir.
    const status = run(['status']);
    expect(status.code).toBe(0);
    expect(status.out).toContain('└─ dist/apps-script/Code.js');
    expect(status.out).toContain('└─ dist/apps-script/Sidebar.html');
    expect(status.out).toContain('└─ dist/apps-script/appsscript.json');
  });
});
