// Fake PropertiesService stores with Apps Script's limits (quotas page: "Properties value size
// 9 KB / val", "Properties total storage 500 KB / property store"; keys and values counted in
// UTF-8 here), copies on read, and setProperties(map, deleteAllOthers). Values are stored as strings.

import { gasError, strictFake } from './gas-error';
import type { CallCounter } from './spreadsheet';

export const PROPERTY_LIMITS = { valueBytes: 9 * 1024, storeBytes: 500 * 1024 } as const;

const bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

export class FakePropertyStore {
  readonly data = new Map<string, string>();
  /** Test side: reads and writes made by the script (one per call). */
  reads = 0;
  writes = 0;

  constructor(
    readonly kind: string,
    private readonly count: CallCounter,
  ) {}

  private size(next: Map<string, string>): number {
    let n = 0;
    for (const [k, v] of next) n += bytes(k) + bytes(v);
    return n;
  }

  private commit(next: Map<string, string>): void {
    for (const v of next.values()) if (bytes(v) > PROPERTY_LIMITS.valueBytes) throw gasError('Argument too large: value');
    if (this.size(next) > PROPERTY_LIMITS.storeBytes) throw gasError('You have exceeded the property storage quota. Please remove some properties and try again.');
    this.data.clear();
    for (const [k, v] of next) this.data.set(k, v);
  }

  getProperty(key: string): string | null {
    this.count(`${this.kind}.getProperty`);
    this.reads++;
    return this.data.get(String(key)) ?? null;
  }

  getProperties(): Record<string, string> {
    this.count(`${this.kind}.getProperties`);
    this.reads++;
    return Object.fromEntries(this.data);
  }

  getKeys(): string[] {
    this.count(`${this.kind}.getKeys`);
    this.reads++;
    return [...this.data.keys()];
  }

  setProperty(key: string, value: string): FakePropertyStore {
    this.count(`${this.kind}.setProperty`);
    this.writes++;
    const next = new Map(this.data);
    next.set(String(key), String(value));
    this.commit(next);
    return this;
  }

  setProperties(properties: Record<string, string>, deleteAllOthers = false): FakePropertyStore {
    this.count(`${this.kind}.setProperties`);
    this.writes++;
    const next = deleteAllOthers ? new Map<string, string>() : new Map(this.data);
    for (const [k, v] of Object.entries(properties)) next.set(k, String(v));
    this.commit(next);
    return this;
  }

  deleteProperty(key: string): FakePropertyStore {
    this.count(`${this.kind}.deleteProperty`);
    this.writes++;
    this.data.delete(String(key));
    return this;
  }

  deleteAllProperties(): FakePropertyStore {
    this.count(`${this.kind}.deleteAllProperties`);
    this.writes++;
    this.data.clear();
    return this;
  }

  /** Test side: bytes used, as the store limit counts them. */
  usedBytes(): number {
    return this.size(this.data);
  }

  asProperties(): GoogleAppsScript.Properties.Properties {
    return strictFake<GoogleAppsScript.Properties.Properties>(this, 'Properties');
  }
}
