// figma.clientStorage as Figma documents it: asynchronous, per plugin, values limited to what Figma
// stores (objects, arrays, strings, numbers, booleans, null, undefined, Uint8Array) and kept as copies,
// and a 5 MB quota counted as each key plus its value's JSON (a Uint8Array by its length); a write
// past the quota is refused with an error and changes nothing. Storage belongs to the plugin's id
// ("data stored … is specific to the plugin ID"), so a changed id (a published plugin) starts empty.
// https://developers.figma.com/docs/plugins/api/figma-clientStorage

import type { CallLog } from './call-log';
import { DEV_PLUGIN_ID, type PluginIdentity } from './fake-plugin-data';

/** Figma's "5MB", taken as the smaller reading so the plugin cannot rely on the larger one. */
export const CLIENT_STORAGE_QUOTA = 5_000_000;

const isUint8Array = (value: object): value is Uint8Array => Object.prototype.toString.call(value) === '[object Uint8Array]';

/** Why Figma would refuse this value, or undefined when it can be stored. */
function unstorable(value: unknown, path: string, seen: Set<object>): string | undefined {
  if (value === null || value === undefined || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : `${path} is ${value}, which JSON cannot hold`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}`;
  if (isUint8Array(value)) return undefined;
  if (seen.has(value)) return `${path} refers back to itself`;
  seen.add(value);
  try {
    if (Array.isArray(value)) {
      for (const [i, item] of value.entries()) {
        const why = unstorable(item, `${path}[${i}]`, seen);
        if (why) return why;
      }
      return undefined;
    }
    // Plain objects only; checked by shape, since values may come from another realm (structuredClone).
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== null && Object.getPrototypeOf(proto) !== null) return `${path} is a ${(value as { constructor?: { name?: string } }).constructor?.name ?? 'class instance'}, not a plain object`;
    for (const [key, item] of Object.entries(value)) {
      const why = unstorable(item, `${path}.${key}`, seen);
      if (why) return why;
    }
    return undefined;
  } finally {
    seen.delete(value);
  }
}

// TextEncoder, not Buffer: the demo page runs this fake in a browser.
const encoder = new TextEncoder();

/** The quota a key and value use, as Figma's documentation approximates it. */
export function quotaBytes(key: string, value: unknown): number {
  const valueBytes = typeof value === 'object' && value !== null && isUint8Array(value) ? value.byteLength : encoder.encode(JSON.stringify(value) ?? '').length;
  return encoder.encode(key).length + valueBytes;
}

/** Figma answers from its host process: nothing happens within the caller's current turn. */
const later = () => Promise.resolve();

export class FakeClientStorage {
  private readonly byPlugin = new Map<string, Map<string, unknown>>();
  /** When set, the next calls of that kind reject with this error (storage that fails). */
  readonly faults: { get?: Error; set?: Error } = {};

  constructor(
    private readonly log: CallLog,
    readonly quota = CLIENT_STORAGE_QUOTA,
    private readonly plugin: PluginIdentity = { id: DEV_PLUGIN_ID },
  ) {}

  /** What the running plugin has stored, by key (copies; tests read and seed it directly). */
  get data(): Map<string, unknown> {
    let map = this.byPlugin.get(this.plugin.id);
    if (!map) this.byPlugin.set(this.plugin.id, (map = new Map()));
    return map;
  }

  /** The quota used now. */
  bytesUsed(): number {
    let total = 0;
    for (const [key, value] of this.data) total += quotaBytes(key, value);
    return total;
  }

  async getAsync(key: string): Promise<unknown> {
    this.log.record('clientStorage.getAsync', 'read');
    await later();
    if (this.faults.get) throw this.faults.get;
    return this.data.has(key) ? structuredClone(this.data.get(key)) : undefined;
  }

  async setAsync(key: string, value: unknown): Promise<void> {
    this.log.record('clientStorage.setAsync', 'write');
    await later();
    if (this.faults.set) throw this.faults.set;
    if (typeof key !== 'string') throw new TypeError(`clientStorage.setAsync: the key must be a string, got ${typeof key}`);
    const why = unstorable(value, 'value', new Set());
    if (why) throw new TypeError(`clientStorage.setAsync("${key}"): cannot store this value: ${why}`);
    const bytes = quotaBytes(key, value);
    const after = this.bytesUsed() - (this.data.has(key) ? quotaBytes(key, this.data.get(key)) : 0) + bytes;
    if (after > this.quota) {
      throw new Error(`clientStorage.setAsync("${key}"): storing ${bytes} bytes would use ${after} of the ${this.quota} bytes this plugin may keep`);
    }
    this.data.set(key, structuredClone(value));
  }

  async deleteAsync(key: string): Promise<void> {
    this.log.record('clientStorage.deleteAsync', 'write');
    await later();
    if (this.faults.set) throw this.faults.set;
    this.data.delete(key);
  }

  async keysAsync(): Promise<string[]> {
    this.log.record('clientStorage.keysAsync', 'read');
    await later();
    if (this.faults.get) throw this.faults.get;
    return [...this.data.keys()];
  }
}
