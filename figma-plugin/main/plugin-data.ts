// Where the plugin keeps what it must remember, and how. On the document (shared with every
// collaborator): in shared plugin data under the product's namespace, what must survive a change of
// plugin id (the last applied position, and which sheet the file is linked to without its token; the
// marks on variables and collections are in marks.ts); in private plugin data, the pairing link with its
// subscribe token and this file's id for clientStorage. In clientStorage (per person, per plugin id):
// settings and the grid cache.

import type { PairingLink } from '../../shared/protocol/pairing-code';
import type { Position } from '../../shared/protocol/messages';
import type { LinkHint, PluginSettings } from '../../shared/plan/plugin-messages';
import type { PluginHost } from './host';

/**
 * The product's namespace for shared plugin data: Figma requires "at least 3 alphanumeric characters"
 * and lets every plugin read it (@figma/plugin-typings, setSharedPluginData).
 */
export const NAMESPACE = 'sheetsfigmasync';

/** Shared plugin data keys (in NAMESPACE); an entry (namespace, key, value) is at most 100 kB. */
export const SHARED_KEYS = {
  /** On a Variable or VariableCollection the sync created: its origin (marks.ts). */
  origin: 'origin',
  /** On the document root: the last applied Position, so whoever opens the plugin next resumes from it. */
  position: 'position',
  /**
   * On the document root: the LinkHint (relay, channel, the sheet's title; never the token), so a
   * plugin that cannot read the private link (a new plugin id) can say which sheet to pair again.
   */
  linkHint: 'linked-sheet',
  /**
   * On the document root: the ids of the collections this file exported to a sheet (sent, copied or
   * downloaded), so that syncing that sheet adopts them without asking again (issue 10). An id is
   * dropped once its collection carries the sync's mark.
   */
  exported: 'exported-collections',
} as const;

/**
 * Private plugin data keys (on the document root) and clientStorage keys. Both are readable only by
 * this plugin id. Setting "" removes a plugin data key.
 */
export const KEYS = {
  /**
   * On the document root, private: the PairingLink. Its subscribe token reads the sheet's synced tabs
   * as they change; shared plugin data would hand it to every plugin anyone runs in this file.
   */
  link: 'link',
  /** On the document root, private: where builds before shared plugin data kept the position (read, not written). */
  legacyPosition: 'position',
  /**
   * On the document root: a random id naming this file in clientStorage (which is per person and per
   * plugin, not per file). Plugins do not get figma.fileKey, so the plugin makes its own id, once.
   * Private, like the clientStorage it names: a new plugin id starts both afresh.
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

export function decodeLinkHint(text: string): LinkHint | undefined {
  const o = parseObject(text);
  if (!o || typeof o.relayUrl !== 'string' || typeof o.channelId !== 'string') return undefined;
  const hint: LinkHint = { relayUrl: o.relayUrl, channelId: o.channelId };
  if (typeof o.title === 'string' && o.title !== '') hint.title = o.title.slice(0, 500);
  return hint;
}

const encodePosition = (p: Position) => JSON.stringify({ epoch: p.epoch, seq: p.seq });
const sameChannel = (a: { relayUrl: string; channelId: string }, b: { relayUrl: string; channelId: string }) => a.relayUrl === b.relayUrl && a.channelId === b.channelId;

/** The document-wide state in root plugin data: the link (private), its hint and the position (shared). */
export class DocumentStore {
  /** The position was last read from where an earlier build kept it: the next save writes it shared. */
  private positionOnlyLegacy = false;

  constructor(private readonly root: PluginHost['root']) {}

  private shared(key: string): string {
    return this.root.getSharedPluginData(NAMESPACE, key);
  }

  private setShared(key: string, value: string): void {
    this.root.setSharedPluginData(NAMESPACE, key, value);
  }

  link(): PairingLink | undefined {
    return decodeLink(this.root.getPluginData(KEYS.link));
  }

  /** Which sheet the file is linked to, as any plugin id can read it (no token). */
  linkHint(): LinkHint | undefined {
    return decodeLinkHint(this.shared(SHARED_KEYS.linkHint));
  }

  /**
   * Stores the link (private) and its hint (shared). Returns true when it names another channel (or
   * relay) than the stored one, or than the hint when this plugin id cannot read the link: the stored
   * position then means nothing and is forgotten with it.
   */
  saveLink(link: PairingLink): boolean {
    const previous = this.link() ?? this.linkHint();
    const otherChannel = !previous || !sameChannel(previous, link);
    this.root.setPluginData(KEYS.link, JSON.stringify({ relayUrl: link.relayUrl, channelId: link.channelId, token: link.token }));
    const hint = this.linkHint();
    if (otherChannel || !hint || !sameChannel(hint, link)) this.setShared(SHARED_KEYS.linkHint, JSON.stringify({ relayUrl: link.relayUrl, channelId: link.channelId }));
    if (otherChannel) this.forgetPosition();
    return otherChannel;
  }

  /**
   * Writes the hint for a link stored by a build that kept none (or for another channel), so a later
   * plugin id can still name the sheet. Writes nothing when the hint already matches.
   */
  ensureLinkHint(link: PairingLink): void {
    const hint = this.linkHint();
    if (hint && sameChannel(hint, link)) return;
    this.setShared(SHARED_KEYS.linkHint, JSON.stringify({ relayUrl: link.relayUrl, channelId: link.channelId }));
  }

  /** Keeps the sheet's title in the hint (only when it changed), so the pairing screen can name the sheet. */
  saveTitle(title: string | undefined): void {
    if (title === undefined || title === '') return;
    const hint = this.linkHint();
    if (!hint || hint.title === title.slice(0, 500)) return;
    this.setShared(SHARED_KEYS.linkHint, JSON.stringify({ relayUrl: hint.relayUrl, channelId: hint.channelId, title: title.slice(0, 500) }));
  }

  /** Forgets the link, its hint and the position with it: a position only means something in its channel. */
  clearLink(): void {
    this.root.setPluginData(KEYS.link, '');
    this.setShared(SHARED_KEYS.linkHint, '');
    this.forgetPosition();
  }

  private forgetPosition(): void {
    this.positionOnlyLegacy = false;
    this.setShared(SHARED_KEYS.position, '');
    // A position an earlier build kept privately would otherwise be read in its place.
    if (this.root.getPluginData(KEYS.legacyPosition) !== '') this.root.setPluginData(KEYS.legacyPosition, '');
  }

  /** The last applied position: the shared one, else the one an earlier build kept privately. */
  position(): Position | undefined {
    const shared = decodePosition(this.shared(SHARED_KEYS.position));
    const position = shared ?? decodePosition(this.root.getPluginData(KEYS.legacyPosition));
    this.positionOnlyLegacy = !shared && position !== undefined;
    return position;
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
    if (known && known.epoch === position.epoch && known.seq === position.seq && !this.positionOnlyLegacy) return;
    this.setShared(SHARED_KEYS.position, encodePosition(position));
    this.positionOnlyLegacy = false;
  }
}

/** Collection ids the file exported, as kept under SHARED_KEYS.exported (a damaged entry counts as none). */
export function decodeExported(text: string): string[] {
  const o = parseObject(text);
  const ids = o?.collectionIds;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string' && id.length > 0 && id.length <= 100) : [];
}

/** At most this many ids are kept (an entry of shared plugin data is at most 100 kB). */
export const MAX_EXPORTED_IDS = 1000;

/** The record of exported collections on the document root (shared: every collaborator's sync adopts them). */
export class ExportedStore {
  private ids: string[] | undefined;

  constructor(private readonly root: PluginHost['root']) {}

  /** The recorded ids (read once, then kept in step with what this session writes). */
  list(): readonly string[] {
    this.ids ??= decodeExported(this.root.getSharedPluginData(NAMESPACE, SHARED_KEYS.exported));
    return this.ids;
  }

  add(collectionIds: readonly string[]): void {
    const ids = [...new Set([...this.list(), ...collectionIds])].slice(-MAX_EXPORTED_IDS);
    if (ids.length === this.list().length && ids.every((id, i) => id === this.list()[i])) return;
    this.write(ids);
  }

  /** Forgets ids whose collections are adopted now (they carry the sync's mark). */
  forget(collectionIds: readonly string[]): void {
    const drop = new Set(collectionIds);
    const ids = this.list().filter((id) => !drop.has(id));
    if (ids.length !== this.list().length) this.write(ids);
  }

  private write(ids: string[]): void {
    this.ids = ids;
    this.root.setSharedPluginData(NAMESPACE, SHARED_KEYS.exported, ids.length > 0 ? JSON.stringify({ collectionIds: ids }) : '');
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
