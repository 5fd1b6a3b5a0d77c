// Resolving every alias across all tabs in one bounded pass: find each target, then walk the
// alias graph depth-first (iteratively, so a chain thousands of aliases long cannot overflow the stack) to find
// loops, rows that point at broken rows, the type of rows made only of aliases, and type mismatches.

import { a1 } from './a1';
import type { AliasIndex } from './alias';
import { checkScopes, typeWord } from './figma-rules';
import { describe, type ProblemLog } from './mapper-problems';
import { AliasSlot, type DraftVariable } from './row';
import type { TabDraft } from './tab';

/** How many names a loop's message shows before "…". */
const MAX_LOOP_NAMES = 8;

/** Resolves aliases and decides, for every draft, whether it maps (`bad` false) and its final type. */
export function resolveAliases(tabs: readonly TabDraft[], index: AliasIndex<DraftVariable>, log: ProblemLog): void {
  for (const tab of tabs) {
    for (const draft of tab.drafts) {
      if (!draft.hasAlias) continue;
      try {
        for (const value of draft.values) {
          if (!(value instanceof AliasSlot)) continue;
          const found = index.resolve(draft.collection, value.ref);
          if (found.ok) value.target = found.target;
          else {
            draft.broken = true;
            log.add(draft.tabIndex, draft.collection, draft.row, value.col, found.code, found.message);
          }
        }
      } catch (err) {
        internal(draft, log, err);
      }
    }
  }
  for (const tab of tabs) {
    for (const draft of tab.drafts) {
      if (draft.state !== 'new') continue;
      try {
        if (draft.hasAlias) walk(draft, index, log);
        else finish(draft, log);
      } catch (err) {
        // Leave nothing half-decided: whatever this walk touched and did not finish is out.
        for (const t of tabs) {
          for (const d of t.drafts) {
            if (d.state === 'visiting' || (d.state === 'done' && !d.bad && d.finalType === undefined)) {
              d.state = 'done';
              d.bad = true;
              internal(d, log, err);
            }
          }
        }
      }
    }
  }
}

interface Frame {
  draft: DraftVariable;
  /** The next value to look at; while a target is on the stack above, `next - 1` is the edge to it. */
  next: number;
}

function walk(root: DraftVariable, index: AliasIndex<DraftVariable>, log: ProblemLog): void {
  const stack: Frame[] = [{ draft: root, next: 0 }];
  root.state = 'visiting';
  // Created on the first loop found: most walks find none.
  let reported: Set<AliasSlot> | undefined;
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const { draft } = frame;
    if (frame.next < draft.values.length) {
      const value = draft.values[frame.next++]!;
      if (!(value instanceof AliasSlot) || !value.target) continue;
      const target = value.target;
      if (target.state === 'new') {
        target.state = 'visiting';
        stack.push({ draft: target, next: 0 });
      } else if (target.state === 'visiting') {
        reported ??= new Set();
        reportLoop(stack, target, index, log, reported);
      }
      continue;
    }
    stack.pop();
    finish(draft, log);
  }
}

/** Reports a loop: every row on it gets an error at the cell that points at the next row. */
function reportLoop(stack: readonly Frame[], target: DraftVariable, index: AliasIndex<DraftVariable>, log: ProblemLog, reported: Set<AliasSlot>): void {
  let start = stack.length - 1;
  while (start > 0 && stack[start]!.draft !== target) start--;
  const members = stack.slice(start).map((f) => f.draft);
  const crossesTabs = members.some((m) => m.collection !== target.collection);
  const label = (d: DraftVariable) => (crossesTabs ? `${d.collection}::${d.name}` : d.name);
  const names = members.slice(0, MAX_LOOP_NAMES).map(label);
  const path = members.length > MAX_LOOP_NAMES ? `${names.join(' → ')} → … (${members.length} variables) → ${label(target)}` : `${names.join(' → ')} → ${label(target)}`;
  for (let i = start; i < stack.length; i++) {
    const frame = stack[i]!;
    const edge = frame.draft.values[frame.next - 1]!;
    frame.draft.inCycle = true;
    if (!(edge instanceof AliasSlot) || reported.has(edge)) continue;
    reported.add(edge);
    const message =
      members.length === 1
        ? selfMessage(edge.ref.text, target, index)
        : `${edge.ref.text} is part of an alias loop (${path}); an alias chain must end at a value, so point one of these at a colour, number, string or boolean`;
    log.add(frame.draft.tabIndex, frame.draft.collection, frame.draft.row, edge.col, 'ALIAS_CYCLE', message);
  }
}

function selfMessage(text: string, draft: DraftVariable, index: AliasIndex<DraftVariable>): string {
  const elsewhere = index.otherTabsWith(draft.name, draft.collection);
  const fix =
    elsewhere.length > 0
      ? `an alias looks in its own tab first; to mean the one in ${elsewhere[0]}, write {${elsewhere[0]}::${draft.name}}`
      : 'an alias must lead to a value, so point it at another variable or write a value';
  return `${text} points at this variable itself; ${fix}`;
}

/** Decides a draft once every target it points at is decided (or it is on a loop). */
function finish(draft: DraftVariable, log: ProblemLog): void {
  draft.state = 'done';
  let bad = draft.broken || draft.inCycle;
  if (!bad) {
    for (const value of draft.values) {
      if (!(value instanceof AliasSlot)) continue;
      const target = value.target!;
      if (target.bad) {
        bad = true;
        log.add(draft.tabIndex, draft.collection, draft.row, value.col, 'ALIAS_TARGET_BROKEN', `${value.ref.text} points at ${target.collection}::${target.name} (${target.collection}!${a1(target.row, target.nameCol)}), which has errors; fix that row first`);
      }
    }
  }
  let type = draft.type;
  if (!bad && type === undefined) {
    for (const value of draft.values) {
      if (value instanceof AliasSlot) {
        type = value.target!.finalType;
        break;
      }
    }
  }
  if (!bad && type !== undefined) {
    for (const value of draft.values) {
      if (!(value instanceof AliasSlot)) continue;
      const targetType = value.target!.finalType;
      if (targetType !== type) {
        bad = true;
        const reason = draft.typeDeclared
          ? `the Type column says ${typeWord(type)}`
          : draft.type !== undefined
            ? `its other values are ${typeWord(type)}s`
            : `its first alias points at a ${typeWord(type)} variable`;
        log.add(
          draft.tabIndex,
          draft.collection,
          draft.row,
          value.col,
          'ALIAS_TYPE_MISMATCH',
          `${value.ref.text} points at a ${typeWord(targetType!)} variable, but ${draft.name} is a ${typeWord(type)} (${reason}); every mode of a variable has one type, so alias a ${typeWord(type)} variable instead`,
        );
      }
    }
  }
  if (!bad && type !== undefined && draft.scopes.length > 0) {
    const scopes = checkScopes(draft.scopes, type);
    if (scopes.ok) draft.finalScopes = scopes.scopes;
    else {
      bad = true;
      log.add(draft.tabIndex, draft.collection, draft.row, draft.scopesCol, scopes.code, `Scopes: ${scopes.message}`);
    }
  }
  if (!bad && type !== undefined && type !== 'BOOLEAN' && draft.scopes.length === 0 && draft.scopesCol > 0) {
    // The tab has a Scopes column and this row's cell is empty: the sheet says "Figma's default", so a
    // variable whose scopes were narrowed earlier goes back to ALL_SCOPES. Without the column the sheet
    // says nothing about scopes and Figma's are left as they are (finalScopes stays undefined).
    draft.finalScopes = ['ALL_SCOPES'];
  }
  if (!bad && type === undefined) {
    // Unreachable by construction (a row without a type has an error already); kept so that no row
    // can ever disappear without a problem saying so.
    bad = true;
    internal(draft, log, new Error('no type could be decided'));
  }
  draft.bad = bad;
  draft.finalType = bad ? undefined : type;
}

function internal(draft: DraftVariable, log: ProblemLog, err: unknown): void {
  draft.broken = true;
  log.add(draft.tabIndex, draft.collection, draft.row, draft.nameCol, 'MAPPER_INTERNAL', `The mapper failed while resolving this row's aliases (${describe(err)}); the row is left out and the rest still maps. Please report this with the row's contents`);
}
