// Where the plugin keeps what it must remember, and how: origins on the variables and collections it
// created, the pairing link, last applied position and file-sync id on the document (shared with every
// collaborator), and each person's own settings and grid cache in clientStorage.

import type { CollectionOrigin, VariableOrigin } from '../../shared/model';
import type { PairingLink } from '../../shared/pairing-code';
import type { Position } from '../../shared/protocol';
import type { PluginSettings } from '../../shared/plugin-messages';
import type { PluginHost } from './host';

/**
 * Plugin data keys. Plugin data is private to this plugin's id and limited to 100 kB per entry; every
 * value here is a short JSON text. Setting "" removes a key.
 */
export const KEYS = {
  /** On a Variable the sync created: its VariableOrigin. */
  variableOrigin: 'origin',
  /** On a VariableCollection the sync created: its CollectionOrigin. */
  collectionOrigin: 'origin',
  /** On the document root: the PairingLink, so every collaborator connects to the same sheet. */
  link: 'link',
  /** On the document root: the last applied Position, so whoever opens the plugin next resumes from it. */
  position: 'position',
  /**
   * On the document root: a random id naming this file in clientStorage (which is per person and per
   * plugin, not per file). Plugins do not get figma.fileKey, so the plugin makes its own id, once.
   */
  fileId: 'file-id',
  /** In clientStorage (per person, per machine): PluginSettings. */
  settings: 'settings',
  /** In clientStorage, followed by a file id: that file's cached grid (see grid-cache.ts). */
  gridCachePrefix: 'grid-cache:',
  /** In clientStorage, followed by a file id: the size and last use of that file's cached grid. */
  gridCacheUsePrefix: 'grid-cache-use:',
} as const;

export const DEFAULT_SETTINGS: PluginSettings = { paused: false, review: false };

const FILE_ID_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const FILE_ID_LENGTH = 20;

/**
 * A new file id: 20 characters of [a-z0-9] (about 103 bits). It is no secret and only has to differ
 * between the files one person opens; Math.random is what Figma's sandbox offers (no crypto there).
 */
export function newFileId(random: () => number = Math.random): string {
  let id = '';
  for (let i = 0; i < FILE_ID_LENGTH; i++) id += FILE_ID_ALPHABET[Math.floor(random() * FILE_ID_ALPHABET.length) % FILE_ID_ALPHABET.length];
  return id;
}

const isFileId = (text: string): boolean => /^[a-z0-9]{8,64}$/.test(text);

const isInt = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;

function parseObject(text: string): Record<string, unknown> | undefined {
  if (text === '') return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function encodeVariableOrigin(origin: VariableOrigin): string {
  // `orphaned` is kept only when set: the planner marks an orphan once so a later row cannot adopt it.
  return JSON.stringify(origin.orphaned ? { tabId: origin.tabId, rowName: origin.rowName, row: origin.row, orphaned: true } : { tabId: origin.tabId, rowName: origin.rowName, row: origin.row });
}

/** The origin, or undefined when absent or damaged (the variable is then treated as not the sync's). */
export function decodeVariableOrigin(text: string): VariableOrigin | undefined {
  const o = parseObject(text);
  if (!o || !isInt(o.tabId) || typeof o.rowName !== 'string' || !isInt(o.row, 1)) return undefined;
  return o.orphaned === true ? { tabId: o.tabId, rowName: o.rowName, row: o.row, orphaned: true } : { tabId: o.tabId, rowName: o.rowName, row: o.row };
}

export function encodeCollectionOrigin(origin: CollectionOrigin): string {
  return JSON.stringify({ tabId: origin.tabId, modeColumns: origin.modeColumns });
}

export function decodeCollectionOrigin(text: string): CollectionOrigin | undefined {
  const o = parseObject(text);
  if (!o || !isInt(o.tabId)) return undefined;
  const columns = o.modeColumns;
  if (typeof columns !== 'object' || columns === null || Array.isArray(columns)) return undefined;
  const modeColumns: Record<string, number> = {};
  for (const [modeId, column] of Object.entries(columns as Record<string, unknown>)) {
    if (!isInt(column, 1)) return undefined;
    modeColumns[modeId] = column;
  }
  return { tabId: o.tabId, modeColumns };
}

export function decodeLink(text: string): PairingLink | undefined {
  const o = parseObject(text);
  if (!o || typeof o.relayUrl !== 'string' || typeof o.channelId !== 'string' || typeof o.token !== 'string') return undefined;
  return { relayUrl: o.relayUrl, channelId: o.channelId, token: o.token };
}

export function decodePosition(text: string): Position | undefined {
  const o = parseObject(text);
  if (!o || typeof o.epoch !== 'string' || o.epoch === '' || !isInt(o.seq)) return undefined;
  return { epoch: o.epoch, seq: o.seq };
}

export function decodeSettings(value: unknown): PluginSettings {
  if (typeof value !== 'object' || value === null) return { ...DEFAULT_SETTINGS };
  const o = value as Record<string, unknown>;
  return {
    paused: typeof o.paused === 'boolean' ? o.paused : DEFAULT_SETTINGS.paused,
    review: typeof o.review === 'boolean' ? o.review : DEFAULT_SETTINGS.review,
  };
}

/** The document-wide state (link and position) in root plugin data. */
export class DocumentStore {
  constructor(private readonly root: PluginHost['root']) {}

  link(): PairingLink | undefined {
    return decodeLink(this.root.getPluginData(KEYS.link));
  }

  /**
   * Stores the link. Returns true when it names another channel (or relay) than the stored one: the
   * stored position then means nothing and is forgotten with it.
   */
  saveLink(link: PairingLink): boolean {
    const previous = this.link();
    const otherChannel = !previous || previous.channelId !== link.channelId || previous.relayUrl !== link.relayUrl;
    this.root.setPluginData(KEYS.link, JSON.stringify({ relayUrl: link.relayUrl, channelId: link.channelId, token: link.token }));
    if (otherChannel) this.root.setPluginData(KEYS.position, '');
    return otherChannel;
  }

  /** Forgets the link and the position with it: a position only means something in its channel. */
  clearLink(): void {
    this.root.setPluginData(KEYS.link, '');
    this.root.setPluginData(KEYS.position, '');
  }

  position(): Position | undefined {
    return decodePosition(this.root.getPluginData(KEYS.position));
  }

  /** This file's id for clientStorage, when one was made (a damaged one counts as none). */
  fileId(): string | undefined {
    const id = this.root.getPluginData(KEYS.fileId);
    return isFileId(id) ? id : undefined;
  }

  /**
   * This file's id, made and stored on first use. A duplicate of the file carries the same id; that is
   * harmless, because what is cached under it names its channel and is that channel's state at a position.
   */
  ensureFileId(random?: () => number): string {
    const existing = this.fileId();
    if (existing) return existing;
    const id = newFileId(random);
    this.root.setPluginData(KEYS.fileId, id);
    return id;
  }

  /** Stores the position unless it is already the stored one (a re-apply writes nothing). */
  savePosition(position: Position, known: Position | undefined): void {
    if (known && known.epoch === position.epoch && known.seq === position.seq) return;
    this.root.setPluginData(KEYS.position, JSON.stringify({ epoch: position.epoch, seq: position.seq }));
  }
}

/** Per-person settings in figma.clientStorage (not shared with collaborators). */
export class SettingsStore {
  constructor(private readonly storage: PluginHost['clientStorage']) {}

  async load(): Promise<PluginSettings> {
    return decodeSettings(await this.storage.getAsync(KEYS.settings));
  }

  async save(settings: PluginSettings): Promise<void> {
    await this.storage.setAsync(KEYS.settings, { paused: settings.paused, review: settings.review });
  }
}
