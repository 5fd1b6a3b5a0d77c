// Removing orphans on the designer's request: only variables the sync created (they carry an origin)
// and that the last plan listed as orphans. A hand-made variable is never removed, whatever is asked.

import type { Orphan } from '../../shared/sheet/model';
import { runInChunks } from './chunked';
import type { FileMirror } from './file-state';
import type { Scheduler } from './host';

export interface OrphanRemoval {
  removed: number;
  /** Ids asked for that are not removable orphans (hand-made, library, or not orphaned). */
  refused: string[];
  /** The orphans still listed. */
  remaining: Orphan[];
}

export async function removeOrphans(
  requested: readonly string[],
  orphans: readonly Orphan[],
  mirror: FileMirror,
  scheduler: Scheduler,
  chunkBudgetMs?: number,
): Promise<OrphanRemoval> {
  const listed = new Set(orphans.map((o) => o.variableId));
  const targets: string[] = [];
  const refused: string[] = [];
  for (const id of new Set(requested)) {
    const record = mirror.variable(id);
    if (listed.has(id) && record?.origin && !record.remote) targets.push(id);
    else refused.push(id);
  }
  const gone = new Set<string>();
  let removed = 0;
  await runInChunks(
    targets.length,
    (i) => {
      const id = targets[i]!;
      try {
        mirror.variableObject(id)?.remove();
      } catch {
        // Already deleted in Figma: it is gone either way, which is what was asked.
      }
      removed++;
      gone.add(id);
      mirror.removeVariable(id);
    },
    { scheduler, ...(chunkBudgetMs !== undefined ? { budgetMs: chunkBudgetMs } : {}) },
  );
  return { removed, refused, remaining: orphans.filter((o) => !gone.has(o.variableId)) };
}
