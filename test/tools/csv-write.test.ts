import { csvToRows } from '../../tools/csv-tabs';
import { csvCell, toCsv } from '../../tools/csv-write';

test('cells with a comma, a quote, a line break or surrounding spaces are quoted, quotes doubled', () => {
  expect(['plain', 'a, b', 'say "hi"', 'two\nlines', ' padded', ''].map(csvCell)).toEqual(['plain', '"a, b"', '"say ""hi"""', '"two\nlines"', '" padded"', '']);
});

test('what toCsv writes, csv-tabs reads back cell for cell', () => {
  const rows = [
    ['Name', 'Value', 'Description'],
    ['color/a', '#fff', 'Used for, say, "cards"'],
    ['b', 'rgb(1 2 3 / 0.5)', ' spaced '],
  ];
  expect(csvToRows(toCsv(rows), 'x.csv')).toEqual(rows);
});
