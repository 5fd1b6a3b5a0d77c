// Tests A1 notation: column letters, cell names, and parsing them back.

import fc from 'fast-check';
import { a1, columnLetters, parseA1 } from '../../../shared/sheet/a1';
import { LIMITS } from '../../../shared/protocol/limits';

describe('columnLetters', () => {
  it('names the first columns with one letter', () => {
    expect([1, 2, 26].map(columnLetters)).toEqual(['A', 'B', 'Z']);
  });

  it('names the columns after Z with two letters', () => {
    expect([27, 28, 52, 53, 702].map(columnLetters)).toEqual(['AA', 'AB', 'AZ', 'BA', 'ZZ']);
  });

  it('names column 703 AAA and the last column Google Sheets allows ZZZ', () => {
    expect([703, LIMITS.maxColumn].map(columnLetters)).toEqual(['AAA', 'ZZZ']);
  });
});

describe('a1', () => {
  it('writes the column letters then the row', () => {
    expect([a1(7, 2), a1(1, 1), a1(10_000_000, 28)]).toEqual(['B7', 'A1', 'AB10000000']);
  });
});

describe('parseA1', () => {
  it('reads a cell name', () => {
    expect(parseA1('B7')).toEqual({ row: 7, col: 2 });
  });

  it('reads lower-case letters and ignores surrounding spaces', () => {
    expect(parseA1(' zz12 ')).toEqual({ row: 12, col: 702 });
  });

  it('refuses row 0', () => {
    expect(parseA1('A0')).toBeUndefined();
  });

  it('refuses four letters (past column ZZZ)', () => {
    expect(parseA1('AAAA1')).toBeUndefined();
  });

  it('refuses absolute references', () => {
    expect(parseA1('$B$7')).toBeUndefined();
  });

  it('refuses ranges', () => {
    expect(parseA1('A1:B2')).toBeUndefined();
  });

  it('refuses a column without a row', () => {
    expect(parseA1('B')).toBeUndefined();
  });

  it('round-trips every cell up to column ZZZ', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: LIMITS.maxColumn }), fc.integer({ min: 1, max: LIMITS.maxRow }), (col, row) => {
        expect(parseA1(a1(row, col))).toEqual({ row, col });
      }),
      { numRuns: 1000 },
    );
  });

  it('gives every column up to ZZZ a distinct name of 1-3 capital letters', () => {
    const names = new Set<string>();
    for (let col = 1; col <= LIMITS.maxColumn; col++) {
      const name = columnLetters(col);
      expect(name).toMatch(/^[A-Z]{1,3}$/);
      names.add(name);
    }
    expect(names.size).toBe(LIMITS.maxColumn);
  });
});
