// The cheap re-read behind the drift check: Figma tells plugins nothing when variables change (no
// variable-change event), so while the plugin is open the main thread re-reads, now and then, what the
// sync made (each marked collection's name and modes, each marked variable's name and values) and
// brings the mirror up to what the file holds. Planning the sheet's last applied grid against it then
// shows any drift as ops. Hand-made variables are not read: the sync never touches them.

import { runInChunks, type ChunkOptions } from './chunked';
import type { FileMirror } from './file-state';
import type { VariablesHost } from './host';

/** How often the open plugin checks (ms): 5,000 variables cost about 100 ms of Figma-like main-thread time per check (bench/plugin). */
export const DRIFT_CHECK_MS = 15_000;

export interface Reread {
  /**
   * Figma lists more or fewer collections or variables than the mirror knows (something was made or
   * deleted, e.g. an undo of a sync that created variables): the caller reads the whole file again.
   */
  structural: boolean;
  /** Records that differed from what Figma holds (now matching it). */
  changed: number;
  /** Objects that throw on a read (deleted): forgotten. */
  gone: number;
}

/** Two list calls, then two property reads per marked collection and variable, in stretches that yield. */
export async function rereadFile(mirror: FileMirror, api: VariablesHost, options: ChunkOptions): Promise<Reread> {
  const [collections, variables] = await Promise.all([api.getLocalVariableCollectionsAsync(), api.getLocalVariablesAsync()]);
  const known = mirror.listedCounts();
  if (collections.length !== known.collections || variables.length !== known.variables) return { structural: true, changed: 0, gone: 0 };
  const marked = mirror.markedIds();
  const steps = marked.collections.length + marked.variables.length;
  let changed = 0;
  let gone = 0;
  await runInChunks(
    steps,
    (i) => {
      const result = i < marked.collections.length ? mirror.refreshCollection(marked.collections[i]!) : mirror.refreshVariable(marked.variables[i - marked.collections.length]!);
      if (result === 'changed') changed++;
      else if (result === 'gone') gone++;
    },
    options,
  );
  return { structural: false, changed, gone };
}
