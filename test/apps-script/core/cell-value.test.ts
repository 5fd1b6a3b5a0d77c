import { runInNewContext } from 'node:vm';
import { isDate, toCellValue, toRows } from '../../../apps-script/core/cell-value';

describe('cell values as the protocol carries them', () => {
  it('turns a Date made in another realm (as Apps Script hands them over) into its ISO string', () => {
    const foreign = runInNewContext('new Date(Date.UTC(2024, 0, 2, 3, 4, 5))') as unknown;
    expect(foreign instanceof Date).toBe(false);
    expect(isDate(foreign)).toBe(true);
    expect(toCellValue(foreign)).toBe('2024-01-02T03:04:05.000Z');
  });

  it('writes an invalid Date as the text a person would see', () => {
    expect(toCellValue(new Date(Number.NaN))).toBe('Invalid Date');
  });

  it('keeps strings, finite numbers and booleans, and makes empty cells ""', () => {
    expect([toCellValue('x'), toCellValue(1.5), toCellValue(false), toCellValue(null), toCellValue(undefined)]).toEqual(['x', 1.5, false, '', '']);
  });

  it('writes numbers JSON cannot carry as text', () => {
    expect([toCellValue(Number.NaN), toCellValue(Infinity)]).toEqual(['NaN', 'Infinity']);
  });

  it('converts a getValues() result row by row, keeping its shape', () => {
    const d = new Date(Date.UTC(2020, 5, 1));
    expect(toRows([['Name', d], [true, 3]])).toEqual([['Name', '2020-06-01T00:00:00.000Z'], [true, 3]]);
  });
});
