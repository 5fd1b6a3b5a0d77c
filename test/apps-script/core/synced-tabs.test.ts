import { hasNameHeader, parseSyncedTabs, resolveSyncedTabs, syncedTabsDiffer } from '../../../apps-script/core/synced-tabs';

const tabs = [
  { tabId: 0, name: 'Colors' },
  { tabId: 7, name: 'Notes' },
  { tabId: 9, name: 'Sizes' },
];
const headers: Record<number, (string | number)[]> = { 0: ['Name', 'Value'], 7: ['Anything'], 9: ['  name ', 'Light'] };

describe('which tabs sync', () => {
  it('by default takes the tabs whose row 1 has a Name header, in any case and with spaces around', () => {
    expect(resolveSyncedTabs({ mode: 'auto', ids: [] }, tabs, (id) => headers[id]!)).toEqual([tabs[0], tabs[2]]);
  });

  it('does not count a Name written in another row or as part of a longer header', () => {
    expect([hasNameHeader(['Names']), hasNameHeader(['Full name']), hasNameHeader([1, true]), hasNameHeader([])]).toEqual([false, false, false, false]);
  });

  it('keeps the chosen tabs that still exist, with their current names', () => {
    expect(resolveSyncedTabs({ mode: 'chosen', ids: [7, 42] }, tabs, () => [])).toEqual([{ tabId: 7, name: 'Notes' }]);
  });

  it('tells a rename apart from nothing happening', () => {
    expect(syncedTabsDiffer(tabs, [...tabs])).toBe(false);
    expect(syncedTabsDiffer(tabs, [tabs[0]!, tabs[1]!, { tabId: 9, name: 'Spacing' }])).toBe(true);
    expect(syncedTabsDiffer(tabs, tabs.slice(1))).toBe(true);
  });

  it('reads a stored setting, and nothing from damaged text', () => {
    expect(parseSyncedTabs('{"mode":"chosen","tabs":[{"tabId":7,"name":"Notes"}]}')).toEqual({ mode: 'chosen', tabs: [{ tabId: 7, name: 'Notes' }] });
    expect([parseSyncedTabs('{'), parseSyncedTabs('{"mode":"all","tabs":[]}'), parseSyncedTabs('{"mode":"auto","tabs":[{"tabId":"7"}]}'), parseSyncedTabs(null)]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });
});
