// The summary review mode shows: counts by op and one line per change a designer can see.

import { FileMirror } from '../../../figma-plugin/main/file-state';
import { summarizePlan } from '../../../figma-plugin/main/review';
import type { Plan, PlanOp } from '../../../shared/sheet/model';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

const plan = (ops: PlanOp[]): Plan => ({ ops, orphans: [], problems: [], counts: { created: 0, updated: 0, unchanged: 0 }, adoptions: [] });
const cell = { tab: 'Theme', cell: 'B2' };

async function synced() {
  const fake = createFakeFigma();
  const collection = fake.variables.createVariableCollection('Theme');
  collection.renameMode(collection.defaultModeRaw, 'Light');
  const brand = fake.variables.createVariable('color/brand', collection, 'COLOR');
  brand.setValueForMode(collection.defaultModeRaw, { r: 0, g: 1 / 3, b: 1, a: 1 });
  const link = fake.variables.createVariable('color/link', collection, 'COLOR');
  return { mirror: await FileMirror.load(fake.variables), collection, brand, link, light: collection.defaultModeRaw };
}

test('each visible change is one line naming the variable, the mode and the values', async () => {
  const { mirror, collection, brand, link, light } = await synced();
  const summary = summarizePlan(
    plan([
      { op: 'addMode', collection: collection.id, ref: 'new:dark', name: 'Dark', column: 3 },
      { op: 'createVariable', ref: 'new:x', collection: collection.id, name: 'color/new', type: 'COLOR', origin: { tabId: 1, rowName: 'color/new', row: 4 }, cell },
      { op: 'setValue', variable: brand.id, mode: light, value: { r: 0, g: 0.4, b: 1, a: 1 }, cell },
      { op: 'setValue', variable: 'new:x', mode: 'new:dark', value: { r: 0, g: 0, b: 0, a: 0.5 }, cell },
      { op: 'setAlias', variable: link.id, mode: light, target: brand.id, cell },
      { op: 'renameVariable', variable: link.id, name: 'color/anchor', cell },
      { op: 'setOrigin', variable: link.id, origin: { tabId: 1, rowName: 'color/anchor', row: 3 } },
      { op: 'setCodeSyntax', variable: brand.id, platform: 'WEB', value: null },
      { op: 'removeMode', collection: collection.id, mode: light },
    ]),
    mirror,
  );
  expect(summary).toEqual({
    total: 9,
    byOp: { addMode: 1, createVariable: 1, setValue: 2, setAlias: 1, renameVariable: 1, setOrigin: 1, setCodeSyntax: 1, removeMode: 1 },
    lines: [
      'Theme: new mode "Dark"',
      'Theme: new color variable "color/new"',
      'color/brand (Light): #0055ff → #0066ff',
      'color/new (Dark): (none) → #00000080',
      'color/link (Light): #ffffff → {color/brand}',
      '"color/link" → "color/anchor"',
      'color/brand: WEB code syntax removed',
      'Theme: remove mode "Light" and its values',
    ],
  });
});

test('lines stop at the limit while the counts cover every op', async () => {
  const { mirror, brand, light } = await synced();
  const ops: PlanOp[] = Array.from({ length: 5 }, (_, i) => ({ op: 'setValue', variable: brand.id, mode: light, value: { r: i / 10, g: 0, b: 0, a: 1 }, cell }));
  const summary = summarizePlan(plan(ops), mirror, 2);
  expect(summary.total).toBe(5);
  expect(summary.byOp).toEqual({ setValue: 5 });
  expect(summary.lines).toHaveLength(2);
});
