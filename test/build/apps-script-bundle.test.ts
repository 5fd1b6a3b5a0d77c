// Tests the Apps Script build: every export of apps-script/main.ts is a top-level function of
// Code.js in a bare V8 context with nothing newer than ES2020, loading it touches no Google service,
// no @noble/hashes goes into it (Utilities hashes natively), and RELAY_URL fills the manifest's
// urlFetchWhitelist. Builds run in a temporary copy, so dist/ is never touched while
// other tests read it.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Script, createContext, runInContext } from 'node:vm';
import ts from 'typescript';
import { ES2020_PRELUDE } from '../fakes/apps-script/es2020-runtime';
import { builtOrThrow, copyForBuild, defaultRelayUrls, type BuildCopy, type BuildResult } from '../helpers/build-copy';

const ROOT = join(__dirname, '../..');

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
  let copy: BuildCopy | undefined;
  let codeJs: string;
  let meta: { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  let sidebarHtml: string;
  let defaultManifest: { urlFetchWhitelist: string[] } & Record<string, unknown>;
  let customManifest: { urlFetchWhitelist: string[] };
  let twoUrlManifest: { urlFetchWhitelist: string[] };
  let badBuild: BuildResult;
  let defaults: string[];

  afterAll(() => {
    copy?.remove();
  });

  beforeAll(async () => {
    copy = copyForBuild('apps-script-build-', ROOT);
    const { dir, build } = copy;
    const read = (file: string) => readFileSync(join(dir, 'dist/apps-script', file), 'utf8');

    defaults = await defaultRelayUrls(ROOT);
    builtOrThrow(await build(['apps-script'], undefined), 'the default build');
    codeJs = read('Code.js');
    meta = JSON.parse(readFileSync(join(dir, 'dist/apps-script-meta.json'), 'utf8'));
    sidebarHtml = read('Sidebar.html');
    defaultManifest = JSON.parse(read('appsscript.json'));

    builtOrThrow(await build(['apps-script'], 'https://relay.test.example'), 'the RELAY_URL build');
    customManifest = JSON.parse(read('appsscript.json'));

    builtOrThrow(await build(['apps-script'], 'https://relay.test.example/, https://backup.test.example:8443'), 'the two-URL build');
    twoUrlManifest = JSON.parse(read('appsscript.json'));

    badBuild = await build(['apps-script'], 'http://relay.test.example');
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
      runInContext(ES2020_PRELUDE, context);
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

    it('loads without throwing, with every built-in newer than ES2020 removed', () => {
      expect(runInContext('[typeof Object.hasOwn, typeof [].at, typeof "".replaceAll]', context)).toEqual(['undefined', 'undefined', 'undefined']);
      expect(loadError).toBeUndefined();
    });

    it('bundles no @noble/hashes: Apps Script’s Utilities digests and signs natively', () => {
      // esbuild lists every module it parsed; what reached Code.js has bytes in the output.
      const bundled = Object.values(meta.outputs).flatMap((o) => Object.entries(o.inputs).filter(([, i]) => i.bytesInOutput > 0).map(([path]) => path));
      expect(bundled.filter((p) => p.includes('shared/'))).not.toEqual([]);
      expect(bundled.filter((p) => p.includes('@noble/'))).toEqual([]);
      expect(codeJs).not.toContain('Object.hasOwn');
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
