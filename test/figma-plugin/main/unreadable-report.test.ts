// What Figma lists but the sync cannot read becomes one warning per dead collection, naming the tab
// when a zombie's mark says which.

import type { Unreadable } from '../../../figma-plugin/main/file-state';
import { unreadableProblems } from '../../../figma-plugin/main/unreadable-report';

const gone = (id: string) => `in get_valuesByMode: The variable collection with id "${id}" does not exist`;

test('variables whose collection id cannot be read are grouped by the id Figma names in its message', () => {
  const unreadable: Unreadable[] = [
    { kind: 'collection', id: 'VariableCollectionId:1:1', reason: gone('VariableCollectionId:1:1') },
    { kind: 'variable', id: 'VariableID:1:2', reason: gone('VariableCollectionId:1:1') },
    { kind: 'variable', id: 'VariableID:1:3', reason: gone('VariableCollectionId:1:1') },
  ];
  expect(unreadableProblems(unreadable, new Map())).toEqual([
    {
      tab: '',
      cell: '',
      severity: 'warning',
      code: 'FIGMA_UNREADABLE',
      message:
        `Figma lists the collection VariableCollectionId:1:1 and 2 variables of it that the sync cannot use (${gone('VariableCollectionId:1:1')}); it leaves them alone. ` +
        'This is left over from a deleted collection, a fault in the Figma file.',
    },
  ]);
});

test('a zombie the sync made names its tab, and many names are cut to three and a count', () => {
  const unreadable: Unreadable[] = ['a', 'b', 'c', 'd', 'e'].map((name, i) => ({
    kind: 'variable',
    id: `VariableID:2:${i}`,
    collectionId: 'VariableCollectionId:2:1',
    name: `color/${name}`,
    origin: { tabId: 7, rowName: `color/${name}`, row: i + 2 },
    reason: 'its collection VariableCollectionId:2:1 is not in the file',
  }));
  const [warning, ...rest] = unreadableProblems(unreadable, new Map([[7, 'Colors']]));
  expect(rest).toEqual([]);
  expect(warning!.tab).toBe('Colors');
  expect(warning!.message).toBe(
    'Figma lists 5 variables ("color/a", "color/b", "color/c" and 2 more) of the collection VariableCollectionId:2:1 that the sync cannot use ' +
      '(its collection VariableCollectionId:2:1 is not in the file); it leaves them alone. This is left over from a deleted collection, a fault in the Figma file. ' +
      'The tab "Colors" gets a new collection.',
  );
});
