import { createHash } from 'node:crypto';
import { changedTabIds, fingerprintOf } from '../../../apps-script/core/tab-fingerprint';
import { tabDigestWith } from '../../../shared/protocol/canonical-hash';

const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const tabDigest = (tab: Parameters<typeof tabDigestWith>[0]): string => tabDigestWith(tab, digest);
const print = (tab: Parameters<typeof tabDigestWith>[0]): string => fingerprintOf(tabDigest(tab));
const colors = { tabId: 0, name: 'Colors', rows: [['Name', 'Value'], ['a', '#fff']] };
const sizes = { tabId: 7, name: 'Sizes', rows: [['Name', 'Value'], ['s', 4]] };

describe('a tab’s fingerprint', () => {
  it('is the start of the tab’s canonical-hash digest', () => {
    expect(print(colors)).toBe(tabDigest(colors).slice(0, 16));
  });

  it('changes with a cell, the tab’s name or its id, and not otherwise (padding included)', () => {
    const base = print(colors);
    expect(print({ ...colors, rows: [['Name', 'Value', ''], ['a', '#fff', ''], ['', '', '']] })).toBe(base);
    expect(print({ ...colors, rows: [['Name', 'Value'], ['a', '#ffe']] })).not.toBe(base);
    expect(print({ ...colors, name: 'Palette' })).not.toBe(base);
    expect(print({ ...colors, tabId: 1 })).not.toBe(base);
  });

  it('names the tabs that differ from the stored fingerprints, and tabs with none stored', () => {
    const stored = { '0': print(colors), '7': print(sizes) };
    expect(changedTabIds([colors, sizes], stored, tabDigest)).toEqual([]);
    expect(changedTabIds([colors, { ...sizes, rows: [['Name', 'Value'], ['s', 5]] }], stored, tabDigest)).toEqual([7]);
    expect(changedTabIds([colors, sizes], { '0': stored['0'] }, tabDigest)).toEqual([7]);
  });
});
