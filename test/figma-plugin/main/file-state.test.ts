// The mirror: read once through the …Async getters, with origins, and unknown kinds left as unknown.

import { FileMirror } from '../../../figma-plugin/main/file-state';
import { LEGACY_MARK_KEY, writeCollectionMark, writeVariableMark } from '../../../figma-plugin/main/marks';
import { NAMESPACE, SHARED_KEYS } from '../../../figma-plugin/main/plugin-data';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

function file() {
  const fake = createFakeFigma();
  const collection = fake.variables.createVariableCollection('Motion');
  const mode = collection.defaultModeRaw;
  return { fake, collection, mode };
}

test('loading calls each …Async getter once and reads every property it needs once', async () => {
  const { fake, collection } = file();
  fake.variables.createVariable('a', collection, 'FLOAT');
  fake.variables.createVariable('b', collection, 'FLOAT');
  fake.log.reset();
  await FileMirror.load(fake.variables);
  const reads = fake.log.byName('read');
  expect(reads['variables.getLocalVariableCollectionsAsync']).toBe(1);
  expect(reads['variables.getLocalVariablesAsync']).toBe(1);
  expect(reads['Variable.valuesByMode']).toBe(2);
  // Unmarked: the shared mark, then where an earlier build kept it.
  expect(reads['Variable.getSharedPluginData']).toBe(2);
  expect(reads['Variable.getPluginData']).toBe(2);
  expect(fake.log.total('write')).toBe(0);
});

test('a sync-created variable and collection carry their origins; a damaged origin counts as hand-made', async () => {
  const { fake, collection, mode } = file();
  writeCollectionMark(collection, { tabId: 4, modeColumns: { [mode]: 2 } });
  const synced = fake.variables.createVariable('a', collection, 'FLOAT');
  writeVariableMark(synced, { tabId: 4, rowName: 'a', row: 2 });
  const damaged = fake.variables.createVariable('b', collection, 'FLOAT');
  damaged.setSharedPluginData(NAMESPACE, SHARED_KEYS.origin, '{"tabId":4');
  const earlier = fake.variables.createVariable('c', collection, 'FLOAT');
  earlier.setPluginData(LEGACY_MARK_KEY, JSON.stringify({ tabId: 4, rowName: 'c', row: 3 }));
  const mirror = await FileMirror.load(fake.variables);
  expect(mirror.collection(collection.id)?.origin).toEqual({ tabId: 4, modeColumns: { [mode]: 2 } });
  expect(mirror.variable(synced.id)?.origin).toEqual({ tabId: 4, rowName: 'a', row: 2 });
  expect(mirror.variable(damaged.id)).not.toHaveProperty('origin');
  expect(mirror.variable(earlier.id)?.origin).toEqual({ tabId: 4, rowName: 'c', row: 3 });
  expect(mirror.legacyMarked()).toEqual([earlier.id]);
});

test('a whole variable is described as the planner expects it', async () => {
  const { fake, collection, mode } = file();
  const v = fake.variables.createVariable('color/a', collection, 'COLOR');
  v.setValueForMode(mode, { r: 0.1, g: 0.2, b: 0.3, a: 1 });
  v.description = 'Brand';
  v.scopes = ['FRAME_FILL'];
  v.hiddenFromPublishing = true;
  v.setVariableCodeSyntax('WEB', 'var(--a)');
  const mirror = await FileMirror.load(fake.variables);
  expect(mirror.state()).toEqual({
    collections: [{ id: collection.id, name: 'Motion', remote: false, modes: [{ modeId: mode, name: 'Mode 1' }], defaultModeId: mode }],
    variables: [
      {
        id: v.id,
        name: 'color/a',
        collectionId: collection.id,
        resolvedType: 'COLOR',
        valuesByMode: { [mode]: { r: Math.fround(0.1), g: Math.fround(0.2), b: Math.fround(0.3), a: 1 } },
        description: 'Brand',
        hidden: true,
        scopes: ['FRAME_FILL'],
        codeSyntax: { WEB: 'var(--a)' },
        remote: false,
      },
    ],
  });
});

test('an EASING variable and a composed colour are read with unknown values, to be left alone', async () => {
  const { fake, collection, mode } = file();
  const easing = fake.variables.createVariable('ease/out', collection, 'EASING');
  const base = fake.variables.createVariable('opacity', collection, 'FLOAT');
  const composed = fake.variables.createVariable('color/overlay', collection, 'COLOR');
  composed.setValueForMode(mode, { color: { r: 0, g: 0, b: 0 }, opacity: fake.variables.createVariableAlias(base) } as never);
  const mirror = await FileMirror.load(fake.variables);
  expect(mirror.variable(easing.id)).toMatchObject({ resolvedType: 'EASING', valuesByMode: { [mode]: { unknown: true } } });
  expect(mirror.variable(composed.id)).toMatchObject({ resolvedType: 'COLOR', valuesByMode: { [mode]: { unknown: true } } });
});

test('library variables are not part of the mirror', async () => {
  const { fake } = file();
  const library = fake.variables.importLibraryVariable('Brand', 'brand/blue', 'COLOR');
  const mirror = await FileMirror.load(fake.variables);
  expect(mirror.variable(library.id)).toBeUndefined();
});

test('removing a mode drops its values from the collection\'s variables only', async () => {
  const { fake, collection, mode } = file();
  const dark = collection.addMode('Dark');
  const a = fake.variables.createVariable('a', collection, 'FLOAT');
  const other = fake.variables.createVariableCollection('Other');
  const b = fake.variables.createVariable('b', other, 'FLOAT');
  const mirror = await FileMirror.load(fake.variables);
  mirror.removeMode(collection.id, dark, mode);
  expect(Object.keys(mirror.variable(a.id)!.valuesByMode)).toEqual([mode]);
  expect(Object.keys(mirror.variable(b.id)!.valuesByMode)).toEqual([other.defaultModeRaw]);
  expect(mirror.collection(collection.id)!.modes).toEqual([{ modeId: mode, name: 'Mode 1' }]);
});
