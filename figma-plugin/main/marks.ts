// The marks that make the sync recognise what it created: a VariableOrigin on each variable and a
// CollectionOrigin on each collection, kept in shared plugin data under the product's namespace so
// they survive a change of plugin id (publishing assigns a new one, and private plugin data "become[s]
// inaccessible if your plugin ID changes"). Builds before this one kept them in private plugin data:
// those are still read, and copied to shared plugin data by the next sync. This file is the one place
// that reads and writes marks.

import type { CollectionOrigin, VariableOrigin } from '../../shared/sheet/model';
import { runInChunks, type ChunkOptions } from './chunked';
import type { FileMirror } from './file-state';
import type { HostCollection, HostVariable } from './host';
import { NAMESPACE, SHARED_KEYS } from './plugin-data';

/** The private plugin data key earlier builds kept a mark under (on variables and collections alike). */
export const LEGACY_MARK_KEY = 'origin';

type Markable = Pick<HostVariable, 'getPluginData' | 'getSharedPluginData' | 'setSharedPluginData'>;

/** A mark as read: the decoded origin, and whether it came from where an earlier build kept it. */
export interface ReadMark<T> {
  origin: T | undefined;
  legacy: boolean;
}

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
  // `adopted` and `keepModes` only when set: a collection the sync created keeps the mark it always had.
  return JSON.stringify({
    tabId: origin.tabId,
    modeColumns: origin.modeColumns,
    ...(origin.adopted ? { adopted: true } : {}),
    ...(origin.keepModes && origin.keepModes.length > 0 ? { keepModes: origin.keepModes } : {}),
  });
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
  const origin: CollectionOrigin = { tabId: o.tabId, modeColumns };
  if (o.adopted === true) origin.adopted = true;
  // A damaged list keeps nothing: the sync then manages (and may remove) those modes, as it would have
  // before adoption existed; an adopted collection's unknown modes are the only ones it must keep.
  if (Array.isArray(o.keepModes) && o.keepModes.every((m) => typeof m === 'string') && o.keepModes.length > 0) origin.keepModes = o.keepModes as string[];
  return origin;
}

/** The shared mark, else the one an earlier build left in private plugin data (a damaged one counts as none). */
function read<T>(object: Markable, decode: (text: string) => T | undefined): ReadMark<T> {
  const shared = decode(object.getSharedPluginData(NAMESPACE, SHARED_KEYS.origin));
  if (shared) return { origin: shared, legacy: false };
  const legacy = decode(object.getPluginData(LEGACY_MARK_KEY));
  return { origin: legacy, legacy: legacy !== undefined };
}

export const readVariableMark = (v: Markable): ReadMark<VariableOrigin> => read(v, decodeVariableOrigin);
export const readCollectionMark = (c: Pick<HostCollection, 'getPluginData' | 'getSharedPluginData'>): ReadMark<CollectionOrigin> =>
  read(c as Markable, decodeCollectionOrigin);

/**
 * Writes a mark. An earlier build's private copy is left as it was: an older build still in use by a
 * collaborator keeps recognising what it made, and this build reads the shared mark first.
 */
export function writeVariableMark(v: Pick<HostVariable, 'setSharedPluginData'>, origin: VariableOrigin): void {
  v.setSharedPluginData(NAMESPACE, SHARED_KEYS.origin, encodeVariableOrigin(origin));
}

export function writeCollectionMark(c: Pick<HostCollection, 'setSharedPluginData'>, origin: CollectionOrigin): void {
  c.setSharedPluginData(NAMESPACE, SHARED_KEYS.origin, encodeCollectionOrigin(origin));
}

/**
 * Copies the marks still only in an earlier build's private plugin data into shared plugin data, in
 * stretches that give the editor a turn (a large file has thousands). Returns how many were copied; an
 * object deleted meanwhile is skipped (the next read of the file forgets it).
 */
export async function migrateLegacyMarks(mirror: FileMirror, options: ChunkOptions): Promise<number> {
  const ids = mirror.legacyMarked();
  let copied = 0;
  await runInChunks(
    ids.length,
    (i) => {
      const id = ids[i]!;
      try {
        const collection = mirror.collection(id);
        const variable = mirror.variable(id);
        if (collection?.origin) writeCollectionMark(mirror.collectionObject(id)!, collection.origin);
        else if (variable?.origin) writeVariableMark(mirror.variableObject(id)!, variable.origin);
        copied++;
      } catch {
        // Deleted in Figma since the file was read.
      }
      mirror.markMigrated(id);
    },
    options,
  );
  return copied;
}
