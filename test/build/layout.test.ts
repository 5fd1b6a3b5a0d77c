// The dependency rules of ARCHITECTURE.md, checked on the source: each part imports only itself and
// shared/; shared/ imports no part, no Node, Google or Figma global, only three pure packages; and
// inside shared/ the concerns are layered: the wire protocol at the bottom, the sheet → model mapping
// on it, planning and token formats on the sheet (and not on each other).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../..');
const PARTS = ['apps-script', 'relay', 'figma-plugin', 'tools', 'shared'] as const;
const SHARED_PACKAGES = ['@noble/hashes', 'culori', 'valibot'];
/** A group may import the groups of a lower rank; plan and tokens share a rank and so never import each other. */
const SHARED_RANK: Record<string, number> = { protocol: 0, sheet: 1, plan: 2, tokens: 2 };

interface ImportEdge {
  from: string;
  spec: string;
  /** Repository-relative path of the target for a relative import. */
  to?: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'dist') return [];
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(file, 'utf8');
  const from = relative(ROOT, file);
  const edges: ImportEdge[] = [];
  for (const match of text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'|\bimport\(\s*'([^']+)'\s*\)/gm)) {
    const spec = (match[1] ?? match[2] ?? match[3])!;
    edges.push({ from, spec, to: spec.startsWith('.') ? relative(ROOT, resolve(dirname(file), spec)) : undefined });
  }
  return edges;
}

const edges = PARTS.flatMap((part) => sourceFiles(join(ROOT, part)).flatMap(importsOf));
const partOf = (path: string): string => path.split('/')[0]!;

test('the source was read (the check cannot pass on nothing)', () => {
  for (const part of PARTS) expect(edges.filter((e) => partOf(e.from) === part).length).toBeGreaterThan(10);
  expect(edges.filter((e) => e.from.startsWith('shared/tokens/') && e.to?.startsWith('shared/sheet/')).length).toBeGreaterThan(0);
});

test('each part imports only itself and shared/', () => {
  const wrong = edges.filter((e) => e.to !== undefined && partOf(e.to) !== partOf(e.from) && partOf(e.to) !== 'shared');
  expect(wrong.map((e) => `${e.from} → ${e.spec}`)).toEqual([]);
});

test('shared/ imports no Node module and no package but the three pure ones', () => {
  const wrong = edges.filter((e) => partOf(e.from) === 'shared' && e.to === undefined && !SHARED_PACKAGES.some((p) => e.spec === p || e.spec.startsWith(`${p}/`)));
  expect(wrong.map((e) => `${e.from} → ${e.spec}`)).toEqual([]);
});

test('shared/ is grouped by concern, every file in a group, and a group imports only the groups below it', () => {
  const sharedFiles = sourceFiles(join(ROOT, 'shared')).map((f) => relative(ROOT, f));
  expect(sharedFiles.filter((f) => !(f.split('/')[1]! in SHARED_RANK) || f.split('/').length !== 3)).toEqual([]);
  const wrong = edges.filter((e) => {
    if (partOf(e.from) !== 'shared' || !e.to) return false;
    const [fromGroup, toGroup] = [e.from.split('/')[1]!, e.to.split('/')[1]!];
    return fromGroup !== toGroup && !(SHARED_RANK[toGroup]! < SHARED_RANK[fromGroup]!);
  });
  expect(wrong.map((e) => `${e.from} → ${e.spec}`)).toEqual([]);
});
