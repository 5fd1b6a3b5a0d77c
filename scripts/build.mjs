// Builds every part with esbuild into dist/: node scripts/build.mjs [relay|apps-script|figma-plugin|cli ...]
// One build setting names the relay: RELAY_URL (comma-separated for several). It fills the add-on's
// urlFetchWhitelist and the plugin's networkAccess.allowedDomains, so the two cannot disagree.
// REGISTRATION_KEY, beside it, is the relay's registration key built into the add-on (only there: the
// plugin never sees it, and the build never prints it).

import { build } from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const DEFAULT_RELAY_URL = 'https://relay.example.com';

/** The relay URLs from RELAY_URL, validated: https only (Apps Script fetches from Google's servers). */
export function relayUrls(env = process.env) {
  const raw = (env.RELAY_URL ?? DEFAULT_RELAY_URL).split(',').map((s) => s.trim()).filter(Boolean);
  if (raw.length === 0) {
    // The plugin's networkAccess.allowedDomains would be [], which Figma refuses on import ("must
    // include at least one pattern"), and the add-on could fetch nothing.
    throw new Error(`RELAY_URL is set but names no relay (${JSON.stringify(env.RELAY_URL)}); set it to your relay's https address, such as RELAY_URL=https://relay.example.com, or unset it to build with that placeholder`);
  }
  for (const url of raw) {
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/i.test(url)) {
      // No path: the relay's routes start at /v2 and requests are signed over that path exactly.
      throw new Error(`RELAY_URL: "${url}" must be an https:// URL of a host with no path, such as https://relay.example.com (Apps Script can only fetch public https addresses)`);
    }
  }
  return raw.map((u) => u.replace(/\/+$/, ''));
}

/** The registration key for the add-on from REGISTRATION_KEY: one key, as the relay reads each of its keys. */
export function registrationKey(env = process.env) {
  const key = (env.REGISTRATION_KEY ?? '').trim();
  if (key === '') return '';
  // The key itself is never echoed: a build log is often shared.
  if (!/^[\x21-\x2b\x2d-\x7e]{16,}$/.test(key)) {
    throw new Error('REGISTRATION_KEY must be one key of at least 16 printable characters without spaces or commas (the relay accepts a comma list; build the add-on with one of them)');
  }
  return key;
}

async function buildRelay() {
  // The relay and its worker threads (relay/worker-source.ts finds them beside main.js).
  await build({
    entryPoints: { main: join(root, 'relay/main.ts'), 'ingest-worker': join(root, 'relay/ingest-worker.ts'), 'sqlite-worker': join(root, 'relay/sqlite-worker.ts'), 'sqlite-checkpointer': join(root, 'relay/sqlite-checkpointer.ts'), 'tokens-worker': join(root, 'relay/tokens-worker.ts') },
    outdir: join(dist, 'relay'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
  });
}

async function buildCli() {
  await build({
    entryPoints: [join(root, 'tools/cli.ts')],
    outfile: join(dist, 'cli/cli.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
}

/** Bundles a browser script to a string, for inlining into an HTML file; `define` replaces build-time constants. */
async function bundleForPage(entry, target, define = {}) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    target,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define,
  });
  // "</script" inside the script would end the tag early.
  return out.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
}

async function inlineHtml(templatePath, script) {
  const template = await readFile(templatePath, 'utf8');
  if (!template.includes('<!-- INLINE_SCRIPT -->')) throw new Error(`${templatePath} needs a <!-- INLINE_SCRIPT --> marker`);
  return template.replace('<!-- INLINE_SCRIPT -->', () => `<script>${script}</script>`);
}

/**
 * Apps Script runs only top-level functions, so the bundle is an IIFE whose exports are re-declared
 * as top-level functions that call into it. The export list comes from esbuild's metafile.
 */
async function buildAppsScript(urls, key) {
  const entry = join(root, 'apps-script/main.ts');
  const define = { __SFS_REGISTRATION_KEY__: JSON.stringify(key) };
  const probe = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', metafile: true, logLevel: 'silent', define });
  const exports = Object.values(probe.metafile.outputs)[0].exports.filter((name) => name !== 'default');
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__sheetsFigmaSync',
    // Apps Script's V8: nothing newer than ES2020 is relied on (syntax here; built-ins are checked
    // by the tests, which run the bundle with every later built-in removed).
    target: 'es2020',
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    // The registration key built in, and the product version Check setup reports.
    define: { ...define, __ADDON_VERSION__: JSON.stringify(JSON.parse(await readFile(join(root, 'package.json'), 'utf8')).version) },
  });
  const wrappers = exports
    .map((name) => `function ${name}() { return __sheetsFigmaSync.${name}.apply(this, arguments); }`)
    .join('\n');
  const code = `// Sheets → Figma sync add-on. Built by scripts/build.mjs; do not edit.\n${out.outputFiles[0].text}\n${wrappers}\n`;
  const dir = join(dist, 'apps-script');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Code.js'), code);
  // What went into the bundle (outside rootDir, so clasp does not push it): the tests read it.
  await writeFile(join(dist, 'apps-script-meta.json'), JSON.stringify(out.metafile));
  const manifest = JSON.parse(await readFile(join(root, 'appsscript.json'), 'utf8'));
  manifest.urlFetchWhitelist = urls.map((u) => `${u}/`);
  await writeFile(join(dir, 'appsscript.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const sidebarScript = await bundleForPage(join(root, 'apps-script/sidebar/sidebar.ts'), 'es2019');
  await writeFile(join(dir, 'Sidebar.html'), await inlineHtml(join(root, 'apps-script/sidebar/sidebar.html'), sidebarScript));
  return exports;
}

/**
 * The plugin's id for the manifest: PLUGIN_ID, the id Figma assigned (a string of digits, from
 * Plugins → Development → New plugin… or from publishing), or the development id in
 * figma-plugin/manifest.json when unset. Publishing changes the id; see the README.
 */
export function pluginId(env = process.env, developmentId) {
  const id = (env.PLUGIN_ID ?? '').trim();
  if (id === '') return developmentId;
  if (!/^\d{6,30}$/.test(id)) throw new Error(`PLUGIN_ID: "${id}" is not a Figma plugin id; use the digits Figma assigned, such as PLUGIN_ID=737805260747778092 (the "id" of the manifest Figma generates)`);
  return id;
}

async function buildFigmaPlugin(urls) {
  const dir = join(dist, 'figma-plugin');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await build({
    entryPoints: [join(root, 'figma-plugin/code.ts')],
    outfile: join(dir, 'code.js'),
    bundle: true,
    format: 'iife',
    target: 'es2017',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const manifest = JSON.parse(await readFile(join(root, 'figma-plugin/manifest.json'), 'utf8'));
  const domains = [];
  for (const u of urls) {
    domains.push(u, u.replace(/^https:/, 'wss:'));
  }
  manifest.networkAccess = { ...manifest.networkAccess, allowedDomains: domains };
  manifest.id = pluginId(process.env, manifest.id);
  // The window's Diagnostics check the relay against the manifest as built, and name the product's version.
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  const define = {
    __PRODUCT_VERSION__: JSON.stringify(pkg.version),
    __NETWORK_ACCESS__: JSON.stringify({ allowedDomains: domains, devAllowedDomains: manifest.networkAccess.devAllowedDomains ?? [] }),
  };
  const uiScript = await bundleForPage(join(root, 'figma-plugin/ui/ui.ts'), 'es2020', define);
  await writeFile(join(dir, 'ui.html'), await inlineHtml(join(root, 'figma-plugin/ui/ui.html'), uiScript));
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

const TARGETS = {
  relay: () => buildRelay(),
  cli: () => buildCli(),
  'apps-script': (urls, key) => buildAppsScript(urls, key),
  'figma-plugin': (urls) => buildFigmaPlugin(urls),
};

async function main(argv) {
  const wanted = argv.length ? argv : Object.keys(TARGETS);
  for (const name of wanted) {
    if (!TARGETS[name]) throw new Error(`unknown build target "${name}"; use one of: ${Object.keys(TARGETS).join(', ')}`);
  }
  const urls = relayUrls();
  const key = registrationKey();
  await Promise.all(wanted.map((name) => TARGETS[name](urls, key)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  });
}
