// Builds every part with esbuild into dist/: node scripts/build.mjs [relay|apps-script|figma-plugin|cli ...]
// One build setting names the relay: RELAY_URL (comma-separated for several). It fills the add-on's
// urlFetchWhitelist and the plugin's networkAccess.allowedDomains, so the two cannot disagree.

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
  for (const url of raw) {
    if (!/^https:\/\/[a-z0-9.-]+(:\d+)?\/?$/i.test(url)) {
      // No path: the relay's routes start at /v2 and requests are signed over that path exactly.
      throw new Error(`RELAY_URL: "${url}" must be an https:// URL of a host with no path, such as https://relay.example.com (Apps Script can only fetch public https addresses)`);
    }
  }
  return raw.map((u) => u.replace(/\/+$/, ''));
}

async function buildRelay() {
  // The relay and its worker threads (relay/worker-source.ts finds them beside main.js).
  await build({
    entryPoints: { main: join(root, 'relay/main.ts'), 'ingest-worker': join(root, 'relay/ingest-worker.ts'), 'sqlite-worker': join(root, 'relay/sqlite-worker.ts'), 'sqlite-checkpointer': join(root, 'relay/sqlite-checkpointer.ts') },
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

/** Bundles a browser script to a string, for inlining into an HTML file. */
async function bundleForPage(entry, target) {
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    target,
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
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
async function buildAppsScript(urls) {
  const entry = join(root, 'apps-script/main.ts');
  const probe = await build({ entryPoints: [entry], bundle: true, write: false, format: 'esm', metafile: true, logLevel: 'silent' });
  const exports = Object.values(probe.metafile.outputs)[0].exports.filter((name) => name !== 'default');
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: '__sheetsFigmaSync',
    target: 'es2019',
    legalComments: 'none',
    logLevel: 'warning',
  });
  const wrappers = exports
    .map((name) => `function ${name}() { return __sheetsFigmaSync.${name}.apply(this, arguments); }`)
    .join('\n');
  const code = `// Sheets → Figma sync add-on. Built by scripts/build.mjs; do not edit.\n${out.outputFiles[0].text}\n${wrappers}\n`;
  const dir = join(dist, 'apps-script');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'Code.js'), code);
  const manifest = JSON.parse(await readFile(join(root, 'appsscript.json'), 'utf8'));
  manifest.urlFetchWhitelist = urls.map((u) => `${u}/`);
  await writeFile(join(dir, 'appsscript.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const sidebarScript = await bundleForPage(join(root, 'apps-script/sidebar/sidebar.ts'), 'es2019');
  await writeFile(join(dir, 'Sidebar.html'), await inlineHtml(join(root, 'apps-script/sidebar/sidebar.html'), sidebarScript));
  return exports;
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
  const uiScript = await bundleForPage(join(root, 'figma-plugin/ui/ui.ts'), 'es2020');
  await writeFile(join(dir, 'ui.html'), await inlineHtml(join(root, 'figma-plugin/ui/ui.html'), uiScript));
  const manifest = JSON.parse(await readFile(join(root, 'figma-plugin/manifest.json'), 'utf8'));
  const domains = [];
  for (const u of urls) {
    domains.push(u, u.replace(/^https:/, 'wss:'));
  }
  manifest.networkAccess = { ...manifest.networkAccess, allowedDomains: domains };
  await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

const TARGETS = {
  relay: () => buildRelay(),
  cli: () => buildCli(),
  'apps-script': (urls) => buildAppsScript(urls),
  'figma-plugin': (urls) => buildFigmaPlugin(urls),
};

async function main(argv) {
  const wanted = argv.length ? argv : Object.keys(TARGETS);
  for (const name of wanted) {
    if (!TARGETS[name]) throw new Error(`unknown build target "${name}"; use one of: ${Object.keys(TARGETS).join(', ')}`);
  }
  const urls = relayUrls();
  await Promise.all(wanted.map((name) => TARGETS[name](urls)));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  });
}
