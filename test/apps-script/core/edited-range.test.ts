import { editedRange, extentOf } from '../../../apps-script/core/edited-range';

const rows = [
  ['Name', 'Value'],
  ['a', 1],
  ['b', 2],
];

describe('the range a patch carries for an edit', () => {
  it('carries the edited cell with its current value', () => {
    expect(editedRange(rows, { row: 2, col: 2, numRows: 1, numCols: 1 }, extentOf(rows), extentOf(rows))).toEqual({ row: 2, col: 2, values: [[1]] });
  });

  it('carries cells now empty inside the extent the relay last received, so they are cleared there', () => {
    const now = rows.slice(0, 2);
    expect(editedRange(now, { row: 3, col: 1, numRows: 1, numCols: 2 }, extentOf(now), { rows: 3, cols: 2 })).toEqual({ row: 3, col: 1, values: [['', '']] });
  });

  it('leaves out cells beyond both extents when a whole column is cleared', () => {
    expect(editedRange(rows, { row: 1, col: 2, numRows: 1000, numCols: 1 }, extentOf(rows), { rows: 4, cols: 2 })).toEqual({
      row: 1,
      col: 2,
      values: [['Value'], [1], [2], ['']],
    });
  });

  it('carries the whole rectangle when the relay’s extent is unknown', () => {
    expect(editedRange(rows, { row: 3, col: 2, numRows: 2, numCols: 2 }, extentOf(rows), undefined)).toEqual({ row: 3, col: 2, values: [[2, ''], ['', '']] });
  });

  it('carries nothing for an edit wholly outside both extents', () => {
    expect(editedRange(rows, { row: 10, col: 1, numRows: 1, numCols: 1 }, extentOf(rows), extentOf(rows))).toBeUndefined();
  });
});
