// Plugin data on a node, variable or collection as Figma documents it (PluginDataMixin in
// @figma/plugin-typings): private entries belong to the running plugin's id and "become inaccessible
// if your plugin ID changes"; shared entries live under a namespace of "at least 3 alphanumeric
// characters" and are readable by every plugin; "" removes an entry; an entry (id or namespace, key
// and value) is at most 100 kB. The running plugin's id is one object the whole fake shares, so
// changing it (as publishing does) hides every private entry at once.

/** The id of the plugin running in the fake; `changePluginId` in fake-figma.ts changes it. */
export interface PluginIdentity {
  id: string;
}

/** The manifest's id of a development build (figma-plugin/manifest.json). */
export const DEV_PLUGIN_ID = 'sheets-figma-sync';

const MAX_ENTRY_CHARS = 100 * 1024;

export const PLUGIN_DATA_ERRORS = {
  tooLarge: (method: string) => `in ${method}: the entry exceeds 100 kB`,
  // The fake's wording of the documented rule; Figma's own text is not documented.
  badNamespace: (method: string) => `in ${method}: the namespace must be at least 3 alphanumeric characters`,
} as const;

/** Figma's rule read strictly (letters and digits only), so the plugin cannot rely on a looser one. */
const isNamespace = (namespace: string) => /^[A-Za-z0-9]{3,}$/.test(namespace);

export class FakePluginData {
  private readonly byPlugin = new Map<string, Map<string, string>>();
  private readonly byNamespace = new Map<string, Map<string, string>>();

  constructor(private readonly plugin: PluginIdentity) {}

  /** The private entries of a plugin id (the running one by default), for tests. */
  privateEntries(pluginId = this.plugin.id): Map<string, string> {
    let map = this.byPlugin.get(pluginId);
    if (!map) this.byPlugin.set(pluginId, (map = new Map()));
    return map;
  }

  /** The shared entries of a namespace, for tests. */
  sharedEntries(namespace: string): Map<string, string> {
    let map = this.byNamespace.get(namespace);
    if (!map) this.byNamespace.set(namespace, (map = new Map()));
    return map;
  }

  get(key: string): string {
    return this.privateEntries().get(key) ?? '';
  }

  set(key: string, value: string): void {
    if (this.plugin.id.length + key.length + value.length > MAX_ENTRY_CHARS) throw new Error(PLUGIN_DATA_ERRORS.tooLarge('setPluginData'));
    put(this.privateEntries(), key, value);
  }

  keys(): string[] {
    return [...this.privateEntries().keys()];
  }

  getShared(namespace: string, key: string): string {
    if (!isNamespace(namespace)) throw new Error(PLUGIN_DATA_ERRORS.badNamespace('getSharedPluginData'));
    return this.byNamespace.get(namespace)?.get(key) ?? '';
  }

  setShared(namespace: string, key: string, value: string): void {
    if (!isNamespace(namespace)) throw new Error(PLUGIN_DATA_ERRORS.badNamespace('setSharedPluginData'));
    if (namespace.length + key.length + value.length > MAX_ENTRY_CHARS) throw new Error(PLUGIN_DATA_ERRORS.tooLarge('setSharedPluginData'));
    put(this.sharedEntries(namespace), key, value);
  }

  sharedKeys(namespace: string): string[] {
    if (!isNamespace(namespace)) throw new Error(PLUGIN_DATA_ERRORS.badNamespace('getSharedPluginDataKeys'));
    return [...(this.byNamespace.get(namespace)?.keys() ?? [])];
  }
}

function put(map: Map<string, string>, key: string, value: string): void {
  if (value === '') map.delete(key);
  else map.set(key, value);
}
