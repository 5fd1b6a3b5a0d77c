// The fake refuses what Figma refuses, with Figma's words, and counts what it is asked: a lenient fake
// would let the plugin's defects pass.

import { createFakeFigma } from './fake-figma';
import { PLUGIN_DATA_ERRORS } from './fake-plugin-data';
import { FAKE_ERRORS } from './fake-variables';

function setup(modeLimit = 10) {
  const fake = createFakeFigma({ modeLimit });
  const collection = fake.variables.createVariableCollection('Theme');
  return { fake, collection, api: fake.variables };
}

describe('names', () => {
  test('a second variable with the same name in a collection is refused', () => {
    const { api, collection } = setup();
    api.createVariable('color/a', collection, 'COLOR');
    expect(() => api.createVariable('color/a', collection, 'COLOR')).toThrow(FAKE_ERRORS.duplicateName('createVariable'));
  });

  test('the same name in another collection is allowed', () => {
    const { api, collection } = setup();
    api.createVariable('color/a', collection, 'COLOR');
    expect(api.createVariable('color/a', api.createVariableCollection('Other'), 'COLOR').nameRaw).toBe('color/a');
  });

  test('renaming onto a taken name is refused', () => {
    const { api, collection } = setup();
    api.createVariable('a', collection, 'FLOAT');
    const b = api.createVariable('b', collection, 'FLOAT');
    expect(() => (b.name = 'a')).toThrow(FAKE_ERRORS.duplicateName('set_name'));
  });

  test.each(['size.1', 'a{b', 'a}b', ' '])('the name %j is refused', (name) => {
    const { api, collection } = setup();
    expect(() => api.createVariable(name, collection, 'FLOAT')).toThrow(FAKE_ERRORS.invalidName('createVariable'));
  });

  test('a collection holds at most 5,000 variables', () => {
    const { api, collection } = setup();
    for (let i = 0; i < 5000; i++) api.createVariable(`v/${i}`, collection, 'BOOLEAN');
    expect(() => api.createVariable('v/one-more', collection, 'BOOLEAN')).toThrow(FAKE_ERRORS.variableLimit(5000));
  });
});

describe('modes', () => {
  test('a new collection has one mode, "Mode 1", which is its default', () => {
    const { collection } = setup();
    expect(collection.modes).toEqual([{ modeId: collection.defaultModeId, name: 'Mode 1' }]);
  });

  test('adding a mode past the plan limit is refused with the limit in Figma\'s words', () => {
    const { collection } = setup(2);
    collection.addMode('Dark');
    expect(() => collection.addMode('Contrast')).toThrow('in addMode: Limited to 2 modes only');
  });

  test('a new mode starts with each variable\'s default-mode value', () => {
    const { api, collection } = setup();
    const v = api.createVariable('size', collection, 'FLOAT');
    v.setValueForMode(collection.defaultModeId, 7);
    const dark = collection.addMode('Dark');
    expect(v.valuesByMode[dark]).toBe(7);
  });

  test('removing the default mode makes the next mode the default and drops its values', () => {
    const { api, collection } = setup();
    const v = api.createVariable('size', collection, 'FLOAT');
    const first = collection.defaultModeId;
    const dark = collection.addMode('Dark');
    collection.removeMode(first);
    expect(collection.defaultModeId).toBe(dark);
    expect(Object.keys(v.valuesByMode)).toEqual([dark]);
  });

  test('the last mode cannot be removed', () => {
    const { collection } = setup();
    expect(() => collection.removeMode(collection.defaultModeId)).toThrow(FAKE_ERRORS.lastMode());
  });

  test('a file over its mode limit refuses value writes', () => {
    const { fake, api, collection } = setup();
    collection.addMode('Dark');
    collection.addMode('Contrast');
    const v = api.createVariable('size', collection, 'FLOAT');
    fake.file.modeLimit = 2;
    expect(() => v.setValueForMode(collection.defaultModeId, 1)).toThrow(FAKE_ERRORS.modesBeyondLimit(2));
  });
});

describe('values', () => {
  test('colour channels are stored as float32', () => {
    const { api, collection } = setup();
    const v = api.createVariable('c', collection, 'COLOR');
    v.setValueForMode(collection.defaultModeId, { r: 0.1, g: 0.2, b: 0.3, a: 0.4 });
    expect(v.valuesByMode[collection.defaultModeId]).toEqual({ r: Math.fround(0.1), g: Math.fround(0.2), b: Math.fround(0.3), a: Math.fround(0.4) });
    expect(Math.fround(0.1)).not.toBe(0.1);
  });

  test('a value of another type is refused', () => {
    const { api, collection } = setup();
    const v = api.createVariable('c', collection, 'COLOR');
    expect(() => v.setValueForMode(collection.defaultModeId, 3)).toThrow(FAKE_ERRORS.typeMismatch('COLOR', 'FLOAT'));
  });

  test('an alias to a variable of another type is refused', () => {
    const { api, collection } = setup();
    const c = api.createVariable('c', collection, 'COLOR');
    const n = api.createVariable('n', collection, 'FLOAT');
    expect(() => c.setValueForMode(collection.defaultModeId, api.createVariableAlias(n))).toThrow(FAKE_ERRORS.typeMismatch('COLOR', 'FLOAT'));
  });

  test('an alias that closes a cycle, in any mode, is refused', () => {
    const { api, collection } = setup();
    const dark = collection.addMode('Dark');
    const a = api.createVariable('a', collection, 'FLOAT');
    const b = api.createVariable('b', collection, 'FLOAT');
    const c = api.createVariable('c', collection, 'FLOAT');
    a.setValueForMode(collection.defaultModeId, api.createVariableAlias(b));
    b.setValueForMode(dark, api.createVariableAlias(c));
    expect(() => c.setValueForMode(collection.defaultModeId, api.createVariableAlias(a))).toThrow(FAKE_ERRORS.aliasCycle());
    expect(() => a.setValueForMode(dark, api.createVariableAlias(a))).toThrow(FAKE_ERRORS.aliasCycle());
  });

  test('values read back are copies: changing them changes nothing', () => {
    const { api, collection } = setup();
    const v = api.createVariable('c', collection, 'COLOR');
    v.setValueForMode(collection.defaultModeId, { r: 0, g: 0, b: 0, a: 1 });
    (v.valuesByMode[collection.defaultModeId] as { r: number }).r = 1;
    expect(v.valueRaw(collection.defaultModeId)).toEqual({ r: 0, g: 0, b: 0, a: 1 });
  });
});

describe('removed and library objects', () => {
  test('a removed variable throws on every use but its id', () => {
    const { api, collection } = setup();
    const v = api.createVariable('a', collection, 'FLOAT');
    v.remove();
    expect(v.id).toMatch(/^VariableID:/);
    expect(() => v.name).toThrow(FAKE_ERRORS.gone('get_name', 'variable', v.id));
    expect(() => v.setValueForMode(collection.defaultModeId, 1)).toThrow(FAKE_ERRORS.gone('setValueForMode', 'variable', v.id));
    expect(() => v.remove()).toThrow(FAKE_ERRORS.gone('remove', 'variable', v.id));
  });

  test('removing a collection removes its variables, even objects held elsewhere', () => {
    const { api, collection } = setup();
    const v = api.createVariable('a', collection, 'FLOAT');
    collection.remove();
    expect(() => v.name).toThrow(FAKE_ERRORS.gone('get_name', 'variable', v.id));
    expect(() => api.createVariable('b', collection, 'FLOAT')).toThrow(FAKE_ERRORS.gone('createVariable', 'variable collection', collection.id));
  });

  test('a library variable is not local and refuses writes', async () => {
    const { api } = setup();
    const library = api.importLibraryVariable('Brand', 'brand/blue', 'COLOR');
    expect((await api.getLocalVariablesAsync()).map((v) => v.id)).not.toContain(library.id);
    expect(() => (library.name = 'x')).toThrow(FAKE_ERRORS.remote('set_name'));
  });
});

describe('what happens in Figma without the plugin being told', () => {
  test('an edit in Figma changes the variable without a counted call, and is checked like the API', () => {
    const { fake, api, collection } = setup();
    const a = api.createVariable('a', collection, 'FLOAT');
    api.createVariable('b', collection, 'FLOAT');
    fake.log.reset();
    a.editInFigma({ values: { [collection.defaultModeRaw]: 7 }, name: 'a2' });
    expect([a.valueRaw(collection.defaultModeRaw), a.nameRaw, fake.log.total('write'), fake.log.total('read')]).toEqual([7, 'a2', 0, 0]);
    expect(() => a.editInFigma({ name: 'b' })).toThrow(FAKE_ERRORS.duplicateName('set_name'));
  });

  test('undo takes back the last committed step: changed values return, what it created is gone', () => {
    const fake = createFakeFigma({ undoHistory: true });
    const collection = fake.variables.createVariableCollection('Theme');
    const a = fake.variables.createVariable('a', collection, 'FLOAT');
    a.setValueForMode(collection.defaultModeRaw, 1);
    fake.figma.commitUndo();
    a.setValueForMode(collection.defaultModeRaw, 2);
    a.name = 'renamed';
    const b = fake.variables.createVariable('b', collection, 'FLOAT');
    fake.figma.commitUndo();
    fake.undo();
    expect([a.valueRaw(collection.defaultModeRaw), a.nameRaw, b.removed, a.removed]).toEqual([1, 'a', true, false]);
    fake.undo();
    expect([a.removed, fake.collectionNamed('Theme')]).toEqual([true, undefined]);
  });
});

describe('zombies (a deleted collection whose variables Figma still lists)', () => {
  test('unlisted: the collection is gone from the list, its variables are still listed and readable, and writes to them throw', async () => {
    const { fake, api, collection } = setup();
    const v = api.createVariable('a', collection, 'FLOAT');
    fake.file.makeZombies(collection, { listed: false, variableReads: 'work' });
    expect((await api.getLocalVariableCollectionsAsync()).map((c) => c.id)).toEqual([]);
    expect((await api.getLocalVariablesAsync()).map((x) => x.id)).toEqual([v.id]);
    expect([v.name, v.variableCollectionId]).toEqual(['a', collection.id]);
    expect(() => v.setValueForMode(collection.defaultModeRaw, 1)).toThrow(FAKE_ERRORS.gone('setValueForMode', 'variable collection', collection.id));
  });

  test('listed: reading the collection throws that it does not exist, and so may reading its variables', async () => {
    const { fake, api, collection } = setup();
    const v = api.createVariable('a', collection, 'FLOAT');
    fake.file.makeZombies(collection, { listed: true, variableReads: 'throw' });
    const [listed] = await api.getLocalVariableCollectionsAsync();
    expect(() => listed!.modes).toThrow(FAKE_ERRORS.gone('get_modes', 'variable collection', collection.id));
    expect(() => v.valuesByMode).toThrow(FAKE_ERRORS.gone('get_valuesByMode', 'variable collection', collection.id));
  });
});

describe('plugin data', () => {
  test('setting "" removes a key, and an entry over 100 kB is refused', () => {
    const { collection } = setup();
    collection.setPluginData('k', 'v');
    collection.setPluginData('k', '');
    expect(collection.getPluginData('k')).toBe('');
    expect(() => collection.setPluginData('k', 'x'.repeat(100 * 1024))).toThrow(PLUGIN_DATA_ERRORS.tooLarge('setPluginData'));
  });

  test('private data belongs to the plugin id: after the id changes it reads as "", and the old entries come back under the old id', () => {
    const { fake, collection, api } = setup();
    const v = api.createVariable('a', collection, 'FLOAT');
    v.setPluginData('origin', '{"tabId":1}');
    fake.figma.root.setPluginData('link', 'L');
    fake.changePluginId('1234567890');
    expect([v.getPluginData('origin'), fake.figma.root.getPluginData('link'), v.getPluginDataKeys()]).toEqual(['', '', []]);
    fake.changePluginId('sheets-figma-sync');
    expect([v.getPluginData('origin'), fake.figma.root.getPluginData('link')]).toEqual(['{"tabId":1}', 'L']);
  });

  test('shared data is readable under any plugin id, by namespace', () => {
    const { fake, collection } = setup();
    collection.setSharedPluginData('acme', 'k', 'v');
    fake.figma.root.setSharedPluginData('acme', 'k', 'root');
    fake.changePluginId('1234567890');
    expect([collection.getSharedPluginData('acme', 'k'), collection.getSharedPluginData('other', 'k'), fake.figma.root.getSharedPluginData('acme', 'k')]).toEqual(['v', '', 'root']);
    expect(collection.getSharedPluginDataKeys('acme')).toEqual(['k']);
  });

  test.each(['ab', 'sheets-figma', 'a b c', ''])('the namespace %j is refused (at least 3 alphanumeric characters)', (namespace) => {
    const { collection } = setup();
    expect(() => collection.setSharedPluginData(namespace, 'k', 'v')).toThrow(PLUGIN_DATA_ERRORS.badNamespace('setSharedPluginData'));
    expect(() => collection.getSharedPluginData(namespace, 'k')).toThrow(PLUGIN_DATA_ERRORS.badNamespace('getSharedPluginData'));
  });

  test('a shared entry over 100 kB (namespace, key and value together) is refused', () => {
    const { collection } = setup();
    expect(() => collection.setSharedPluginData('acme', 'k', 'x'.repeat(100 * 1024 - 4))).toThrow(PLUGIN_DATA_ERRORS.tooLarge('setSharedPluginData'));
    collection.setSharedPluginData('acme', 'k', 'x'.repeat(100 * 1024 - 5));
  });
});

describe('counting', () => {
  test('every call is counted by name as a read or a write, and costs virtual time', () => {
    const { fake, api, collection } = setup();
    fake.log.reset();
    const start = fake.clock.now();
    const v = api.createVariable('a', collection, 'FLOAT');
    v.setValueForMode(collection.defaultModeId, 2);
    void v.name;
    expect(fake.log.byName('write')).toEqual({ 'variables.createVariable': 1, 'Variable.setValueForMode': 1 });
    expect(fake.log.byName('read')).toEqual({ 'VariableCollection.defaultModeId': 1, 'Variable.name': 1 });
    expect(fake.clock.now() - start).toBeCloseTo(0.5 + 0.3 + 0.01 + 0.01, 6);
  });
});
