import { createHash } from 'node:crypto';
import { changedTabIds, tabFingerprint } from '../../../apps-script/core/tab-fingerprint';

const digest = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');
const colors = { tabId: 0, name: 'Colors', rows: [['Name', 'Value'], ['a', '#fff']] };
const sizes = { tabId: 7, name: 'Sizes', rows: [['Name', 'Value'], ['s', 4]] };

describe('a tab’s fingerprint', () => {
  it('changes with a cell, the tab’s name or its id, and not otherwise', () => {
    const base = tabFingerprint(colors, digest);
    expect(tabFingerprint({ ...colors, rows: [['Name', 'Value'], ['a', '#fff']] }, digest)).toBe(base);
    expect(tabFingerprint({ ...colors, rows: [['Name', 'Value'], ['a', '#ffe']] }, digest)).not.toBe(base);
    expect(tabFingerprint({ ...colors, name: 'Palette' }, digest)).not.toBe(base);
    expect(tabFingerprint({ ...colors, tabId: 1 }, digest)).not.toBe(base);
  });

  it('names the tabs that differ from the stored fingerprints, and tabs with none stored', () => {
    const stored = { '0': tabFingerprint(colors, digest), '7': tabFingerprint(sizes, digest) };
    expect(changedTabIds([colors, sizes], stored, digest)).toEqual([]);
    expect(changedTabIds([colors, { ...sizes, rows: [['Name', 'Value'], ['s', 5]] }], stored, digest)).toEqual([7]);
    expect(changedTabIds([colors, sizes], { '0': stored['0'] }, digest)).toEqual([7]);
  });
});
