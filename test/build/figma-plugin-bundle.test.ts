// Tests the Figma plugin build: the manifest Figma imports, code.js, ui.html with its script
// inlined, and that one RELAY_URL fills both the plugin's allowedDomains and the add-on's
// urlFetchWhitelist. Builds run in a temporary copy, so dist/ is never touched while other tests read it.

import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { builtOrThrow, copyForBuild, defaultRelayUrls, type BuildCopy, type BuildResult } from '../helpers/build-copy';

const ROOT = join(__dirname, '../..');

interface PluginManifest {
  name: string;
  id: string;
  api: string;
  main: string;
  ui: string;
  editorType: string[];
  documentAccess: string;
  networkAccess: { allowedDomains: string[]; devAllowedDomains: string[]; reasoning: string };
}

describe('the Figma plugin build', () => {
  let copy: BuildCopy | undefined;
  let manifest: PluginManifest;
  let codeJs: string;
  let uiHtml: string;
  let customManifest: PluginManifest;
  let customAddonManifest: { urlFetchWhitelist: string[] };
  let badBuild: BuildResult;
  let badBuildLeftOutput: boolean;
  let emptyBuild: BuildResult;
  let emptyBuildLeftOutput: boolean;
  let publishedManifest: PluginManifest;
  let badIdBuild: BuildResult;
  let defaults: string[];

  afterAll(() => {
    copy?.remove();
  });

  beforeAll(async () => {
    copy = copyForBuild('figma-plugin-build-', ROOT);
    const { dir, build } = copy;
    const read = (file: string) => readFileSync(join(dir, 'dist', file), 'utf8');

    defaults = await defaultRelayUrls(ROOT);
    builtOrThrow(await build(['figma-plugin'], undefined), 'the default build');
    manifest = JSON.parse(read('figma-plugin/manifest.json'));
    codeJs = read('figma-plugin/code.js');
    uiHtml = read('figma-plugin/ui.html');

    builtOrThrow(await build(['figma-plugin', 'apps-script'], 'https://relay.test.example'), 'the RELAY_URL build');
    customManifest = JSON.parse(read('figma-plugin/manifest.json'));
    customAddonManifest = JSON.parse(read('apps-script/appsscript.json'));

    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    badBuild = await build(['figma-plugin'], 'http://relay.test.example');
    badBuildLeftOutput = existsSync(join(dir, 'dist/figma-plugin/manifest.json'));

    emptyBuild = await build(['figma-plugin'], ' , ');
    emptyBuildLeftOutput = existsSync(join(dir, 'dist/figma-plugin/manifest.json'));

    builtOrThrow(await build(['figma-plugin'], undefined, { PLUGIN_ID: '1234567890123456789' }), 'the PLUGIN_ID build');
    publishedManifest = JSON.parse(read('figma-plugin/manifest.json'));
    badIdBuild = await build(['figma-plugin'], undefined, { PLUGIN_ID: 'sheets-sync' });
  }, 180_000);

  describe('manifest.json', () => {
    it('is what Figma imports: api 1.0.0, the figma editor, dynamic page access, code.js and ui.html', () => {
      expect({ api: manifest.api, editorType: manifest.editorType, documentAccess: manifest.documentAccess, main: manifest.main, ui: manifest.ui }).toEqual({
        api: '1.0.0',
        editorType: ['figma'],
        documentAccess: 'dynamic-page',
        main: 'code.js',
        ui: 'ui.html',
      });
    });

    it('allows exactly the default relay URL in its https and wss forms when RELAY_URL is unset', () => {
      expect(manifest.networkAccess.allowedDomains).toEqual(defaults.flatMap((u) => [u, u.replace(/^https:/, 'wss:')]));
    });

    it('keeps the development domains (loopback only) and a reasoning for reviewers', () => {
      expect(manifest.networkAccess.devAllowedDomains.length).toBeGreaterThan(0);
      expect(manifest.networkAccess.devAllowedDomains.filter((d) => !/^(https?|wss?):\/\/localhost(:(\d+|\*))?$/.test(d))).toEqual([]);
      expect(manifest.networkAccess.reasoning.length).toBeGreaterThan(20);
    });

    it('keeps every other field of the source manifest', () => {
      const source = JSON.parse(readFileSync(join(ROOT, 'figma-plugin/manifest.json'), 'utf8')) as PluginManifest;
      expect(manifest).toEqual({ ...source, networkAccess: { ...source.networkAccess, allowedDomains: manifest.networkAccess.allowedDomains } });
    });
  });

  describe('the plugin id', () => {
    it('is the development id of the source manifest when PLUGIN_ID is unset', () => {
      expect(manifest.id).toBe('sheets-figma-sync');
    });

    it('is PLUGIN_ID when set (the id Figma assigned), and nothing else changes', () => {
      expect(publishedManifest).toEqual({ ...manifest, id: '1234567890123456789' });
    });

    it('fails the build for a PLUGIN_ID that is not a Figma id, saying what one looks like', () => {
      expect(badIdBuild.code).toBe(1);
      expect(badIdBuild.stderr).toContain('PLUGIN_ID: "sheets-sync" is not a Figma plugin id');
    });
  });

  describe('code.js and ui.html', () => {
    it('code.js is one script that compiles', () => {
      expect(codeJs.length).toBeGreaterThan(0);
      expect(() => new Script(codeJs, { filename: 'code.js' })).not.toThrow();
    });

    it('code.js imports and requires nothing (Figma loads one file)', () => {
      expect(codeJs).not.toMatch(/\brequire\(|^\s*import\s/m);
    });

    it('ui.html has its script inlined in place of the marker, and the script compiles', () => {
      const scripts = [...uiHtml.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
      expect(scripts).toHaveLength(1);
      expect(() => new Script(scripts[0]!, { filename: 'ui.html' })).not.toThrow();
      expect(uiHtml).not.toContain('<!-- INLINE_SCRIPT -->');
    });

    it('ui.html loads no external script or stylesheet', () => {
      expect(uiHtml).not.toMatch(/<script[^>]*\ssrc=|<link[^>]*stylesheet/i);
    });
  });

  describe('one RELAY_URL for both parts', () => {
    it('puts RELAY_URL in the plugin allowedDomains as https and wss', () => {
      expect(customManifest.networkAccess.allowedDomains).toEqual(['https://relay.test.example', 'wss://relay.test.example']);
    });

    it("puts the same RELAY_URL in the add-on's urlFetchWhitelist", () => {
      expect(customAddonManifest.urlFetchWhitelist).toEqual(['https://relay.test.example/']);
    });

    it('fails the build for an http:// RELAY_URL, naming RELAY_URL and the value, and writes no plugin', () => {
      expect(badBuild.code).toBe(1);
      expect(badBuild.stderr).toContain('RELAY_URL: "http://relay.test.example" must be an https:// URL');
      expect(badBuildLeftOutput).toBe(false);
    });

    it('fails the build for an empty RELAY_URL (Figma refuses an empty allowedDomains), saying what to set, and writes no plugin', () => {
      expect(emptyBuild.code).toBe(1);
      expect(emptyBuild.stderr).toContain('RELAY_URL is set but names no relay');
      expect(emptyBuild.stderr).toContain('RELAY_URL=https://relay.example.com');
      expect(emptyBuildLeftOutput).toBe(false);
    });
  });
});
