// Removing orphans: only the listed ones the sync created; the rest is refused, not touched.

import { FileMirror } from '../../../figma-plugin/main/file-state';
import { removeOrphans } from '../../../figma-plugin/main/orphans';
import { writeVariableMark } from '../../../figma-plugin/main/marks';
import { createFakeFigma } from '../../fakes/figma/fake-figma';

test('listed sync-created orphans are removed; hand-made, unlisted and unknown ids are refused', async () => {
  const fake = createFakeFigma();
  const collection = fake.variables.createVariableCollection('Theme');
  const made = (name: string, row: number) => {
    const v = fake.variables.createVariable(name, collection, 'FLOAT');
    writeVariableMark(v, { tabId: 1, rowName: name, row });
    return v;
  };
  const gone = made('gone', 2);
  const alsoGone = made('also-gone', 3);
  const kept = made('kept', 4);
  const handMade = fake.variables.createVariable('hand', collection, 'FLOAT');
  const mirror = await FileMirror.load(fake.variables);
  const orphan = (v: { id: string; nameRaw: string }) => ({ variableId: v.id, name: v.nameRaw, collectionId: collection.id, collectionName: 'Theme' });
  // A hand-made variable listed as an orphan (it never should be) is still refused.
  const listed = [orphan(gone), orphan(alsoGone), orphan(handMade)];

  const result = await removeOrphans([gone.id, kept.id, handMade.id, 'VariableID:0:0'], listed, mirror, fake.scheduler);
  expect(result).toEqual({ removed: 1, refused: [kept.id, handMade.id, 'VariableID:0:0'], remaining: [orphan(alsoGone), orphan(handMade)] });
  expect([gone.removed, alsoGone.removed, kept.removed, handMade.removed]).toEqual([true, false, false, false]);
  expect(mirror.variable(gone.id)).toBeUndefined();
});

test('an orphan already deleted in Figma counts as removed', async () => {
  const fake = createFakeFigma();
  const collection = fake.variables.createVariableCollection('Theme');
  const v = fake.variables.createVariable('gone', collection, 'FLOAT');
  writeVariableMark(v, { tabId: 1, rowName: 'gone', row: 2 });
  const mirror = await FileMirror.load(fake.variables);
  v.remove();
  const listed = [{ variableId: v.id, name: 'gone', collectionId: collection.id, collectionName: 'Theme' }];
  expect(await removeOrphans([v.id], listed, mirror, fake.scheduler)).toEqual({ removed: 1, refused: [], remaining: [] });
});
