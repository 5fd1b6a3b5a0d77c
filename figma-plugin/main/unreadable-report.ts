// Words for what Figma lists but the sync cannot read (zombies, see Unreadable in file-state.ts): one
// warning per dead collection, naming the tab when the zombies' marks say which, so the sheet's sidebar
// and the plugin show it without a flood of one line per variable.

import type { Problem } from '../../shared/protocol/messages';
import type { Unreadable } from './file-state';
import { PLUGIN_NOTICE_CODES, problem } from './figma-refusals';

/** Names listed in a message before "and N more". */
const NAMED = 3;

function quoted(names: string[]): string {
  const shown = names.slice(0, NAMED).map((n) => JSON.stringify(n.slice(0, 60)));
  return names.length > NAMED ? `${shown.join(', ')} and ${names.length - NAMED} more` : shown.join(', ');
}

/** One warning per collection the unreadable objects belong to; `tabNames` maps the sheet's tab ids to names. */
export function unreadableProblems(unreadable: readonly Unreadable[], tabNames: ReadonlyMap<number, string>): Problem[] {
  const groups = new Map<string, Unreadable[]>();
  for (const u of unreadable) {
    // A variable whose collection id cannot be read is grouped by the id Figma's message names, if any.
    const key = u.kind === 'collection' ? u.id : (u.collectionId ?? /variable collection with id "([^"]+)"/.exec(u.reason)?.[1] ?? '?');
    const group = groups.get(key);
    if (group) group.push(u);
    else groups.set(key, [u]);
  }
  const problems: Problem[] = [];
  for (const [key, group] of groups) {
    const variables = group.filter((u) => u.kind === 'variable');
    const collectionId = key === '?' ? undefined : key;
    const tabId = variables.find((u) => u.origin !== undefined && tabNames.has(u.origin.tabId))?.origin?.tabId;
    const tab = tabId !== undefined ? tabNames.get(tabId)! : '';
    const names = variables.map((u) => u.name).filter((n): n is string => n !== undefined);
    const collectionListed = group.some((u) => u.kind === 'collection');
    const ofCollection = collectionId ? `the collection ${collectionId}` : 'a collection';
    const someVariables = `${variables.length} variable${variables.length === 1 ? '' : 's'}${names.length > 0 ? ` (${quoted(names)})` : ''}`;
    const what =
      variables.length === 0 ? ofCollection : collectionListed ? `${ofCollection} and ${someVariables} of it` : `${someVariables} of ${ofCollection}`;
    const reason = group[0]!.reason;
    const tabNote = tab ? ` The tab "${tab}" gets a new collection.` : '';
    const them = group.length === 1 ? 'it' : 'them';
    problems.push(
      problem(
        tab,
        '',
        PLUGIN_NOTICE_CODES.unreadable,
        `Figma lists ${what} that the sync cannot use (${reason}); it leaves ${them} alone. ` +
          `This is left over from a deleted collection, a fault in the Figma file.${tabNote}`,
        'warning',
      ),
    );
  }
  return problems;
}
