// Tests the Apps Script build: every export of apps-script/main.ts is a top-level function of
// Code.js in a bare V8 context, loading it touches no Google service, and RELAY_URL fills the
// manifest's urlFetchWhitelist. Builds run in a temporary copy, so dist/ is never touched while
// other tests read it.

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script, createContext, runInContext } from 'node:vm';
import ts from 'typescript';

const ROOT = join(__dirname, '../..');
/** What scripts/build.mjs reads for the apps-script and figma-plugin targets. */
const SOURCES = ['scripts', 'shared', 'apps-script', 'figma-plugin', 'appsscript.json', 'tsconfig.json', 'package.json'];

interface BuildResult {
  code: number | null;
  stderr: string;
}

/** Runs `node scripts/build.mjs <targets>` in `dir` with RELAY_URL set (or unset when undefined). */
function runBuild(dir: string, targets: string[], relayUrl: string | undefined): Promise<BuildResult> {
  const env = { ...process.env };
  delete env.RELAY_URL;
  if (relayUrl !== undefined) env.RELAY_URL = relayUrl;
  return new Promise((resolve) => {
    execFile(process.execPath, ['scripts/build.mjs', ...targets], { cwd: dir, env, timeout: 60_000 }, (err, _stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stderr });
    });
  });
}

/** The relay URLs the build uses when RELAY_URL is unset, read from the build script itself. */
function defaultRelayUrls(): Promise<string[]> {
  const script = `import('./scripts/build.mjs').then((m) => process.stdout.write(JSON.stringify(m.relayUrls({}))))`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, timeout: 30_000 }, (err, stdout) => (err ? reject(err) : resolve(JSON.parse(stdout) as string[])));
  });
}

/** The names apps-script/main.ts exports (re-exports included), read with the TypeScript compiler. */
function exportedNames(entry: string): { name: string; isFunction: boolean }[] {
  const program = ts.createProgram([entry], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, types: [], noEmit: true });
  const checker = program.getTypeChecker();
  const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
  return checker
    .getExportsOfModule(moduleSymbol)
    .filter((s) => s.getName() !== 'default')
    .map((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      return { name: s.getName(), isFunction: (target.flags & ts.SymbolFlags.Function) !== 0 };
    });
}

/** Every Google Apps Script global the typings declare, apart from the JavaScript built-ins they re-declare. */
function googleGlobals(): string[] {
  const dir = join(ROOT, 'node_modules/@types/google-apps-script');
  const names = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.d.ts'))) {
    for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/declare var (\w+)/g)) names.add(m[1]!);
  }
  for (const builtin of ['Date', 'console']) names.delete(builtin);
  return [...names].sort();
}

/** A stand-in for a Google service that records and throws on any use at all (get, call, has, …). */
function tripwire(name: string, used: string[]): object {
  const handler = new Proxy({} as ProxyHandler<() => void>, {
    get: (_h, trap) => (..._args: unknown[]) => {
      used.push(`${name} (${String(trap)})`);
      throw new Error(`${name} was used while the script loaded`);
    },
  });
  return new Proxy(() => undefined, handler);
}

describe('the Apps Script build', () => {
  let dir: string;
  let codeJs: string;
  let sidebarHtml: string;
  let defaultManifest: { urlFetchWhitelist: string[] } & Record<string, unknown>;
  let customManifest: { urlFetchWhitelist: string[] };
  let twoUrlManifest: { urlFetchWhitelist: string[] };
  let badBuild: BuildResult;
  let defaults: string[];

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'apps-script-build-'));
    for (const source of SOURCES) cpSync(join(ROOT, source), join(dir, source), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const read = (file: string) => readFileSync(join(dir, 'dist/apps-script', file), 'utf8');

    defaults = await defaultRelayUrls();
    const first = await runBuild(dir, ['apps-script'], undefined);
    if (first.code !== 0) throw new Error(`the default build failed: ${first.stderr}`);
    codeJs = read('Code.js');
    sidebarHtml = read('Sidebar.html');
    defaultManifest = JSON.parse(read('appsscript.json'));

    const custom = await runBuild(dir, ['apps-script'], 'https://relay.test.example');
    if (custom.code !== 0) throw new Error(`the RELAY_URL build failed: ${custom.stderr}`);
    customManifest = JSON.parse(read('appsscript.json'));

    const two = await runBuild(dir, ['apps-script'], 'https://relay.test.example/, https://backup.test.example:8443');
    if (two.code !== 0) throw new Error(`the two-URL build failed: ${two.stderr}`);
    twoUrlManifest = JSON.parse(read('appsscript.json'));

    badBuild = await runBuild(dir, ['apps-script'], 'http://relay.test.example');
  }, 180_000);

  describe('Code.js in a fresh V8 context without Google globals', () => {
    const expected = exportedNames(join(ROOT, 'apps-script/main.ts'));
    let context: Record<string, unknown>;
    let used: string[];
    let loadError: unknown;

    beforeAll(() => {
      used = [];
      const sandbox: Record<string, unknown> = {};
      for (const name of googleGlobals()) sandbox[name] = tripwire(name, used);
      context = createContext(sandbox);
      try {
        runInContext(codeJs, context, { filename: 'Code.js', timeout: 5000 });
      } catch (err) {
        loadError = err;
      }
    });

    it('main.ts exports at least onOpen, onInstall and openSidebar, all functions', () => {
      expect(expected.filter((e) => ['onOpen', 'onInstall', 'openSidebar'].includes(e.name))).toEqual([
        { name: 'onOpen', isFunction: true },
        { name: 'onInstall', isFunction: true },
        { name: 'openSidebar', isFunction: true },
      ]);
    });

    it('every export of main.ts is a function, since Apps Script can only call functions', () => {
      expect(expected.filter((e) => !e.isFunction).map((e) => e.name)).toEqual([]);
    });

    it('loads without throwing', () => {
      expect(loadError).toBeUndefined();
    });

    it('uses no Google service while it loads (no top-level side effects)', () => {
      expect(used).toEqual([]);
    });

    it('makes every export of main.ts a top-level function', () => {
      const missing = expected.filter((e) => typeof context[e.name] !== 'function').map((e) => e.name);
      expect(missing).toEqual([]);
    });

    it('each top-level function calls the function of the same name in the bundle', () => {
      const names = expected.map((e) => e.name);
      const kinds = runInContext(`${JSON.stringify(names)}.map((n) => typeof __sheetsFigmaSync[n])`, context) as string[];
      expect(kinds).toEqual(names.map(() => 'function'));
    });

    it('was built for the runtime the tripwires stand for: the typings declare SpreadsheetApp and HtmlService', () => {
      expect(googleGlobals()).toEqual(expect.arrayContaining(['SpreadsheetApp', 'HtmlService', 'PropertiesService', 'UrlFetchApp', 'ScriptApp']));
    });
  });

  describe('Sidebar.html', () => {
    it('has its script inlined in place of the marker, and the script compiles', () => {
      const scripts = [...sidebarHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
      expect(scripts).toHaveLength(1);
      expect(() => new Script(scripts[0]!)).not.toThrow();
      expect(sidebarHtml).not.toContain('<!-- INLINE_SCRIPT -->');
    });

    it('loads no external script or stylesheet', () => {
      expect(sidebarHtml).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*stylesheet/i);
    });
  });

  describe('appsscript.json and RELAY_URL', () => {
    it('keeps the source manifest and fills urlFetchWhitelist with the default relay URL when RELAY_URL is unset', () => {
      const source = JSON.parse(readFileSync(join(ROOT, 'appsscript.json'), 'utf8')) as Record<string, unknown>;
      expect(defaultManifest).toEqual({ ...source, urlFetchWhitelist: defaults.map((u) => `${u}/`) });
    });

    it('puts RELAY_URL, with a trailing slash, in urlFetchWhitelist', () => {
      expect(customManifest.urlFetchWhitelist).toEqual(['https://relay.test.example/']);
    });

    it('takes several comma-separated relay URLs, each once with one trailing slash', () => {
      expect(twoUrlManifest.urlFetchWhitelist).toEqual(['https://relay.test.example/', 'https://backup.test.example:8443/']);
    });

    it('fails the build for an http:// RELAY_URL, naming RELAY_URL and the value', () => {
      expect(badBuild.code).toBe(1);
      expect(badBuild.stderr).toContain('RELAY_URL: "http://relay.test.example" must be an https:// URL');
    });
  });
});
