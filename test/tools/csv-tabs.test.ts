import { csvToRows, InputError, readCsvTabs, sheetValue, tabNameOf } from '../../tools/csv-tabs';

describe('sheetValue reads CSV text as Sheets would show it', () => {
  test('numbers become numbers', () => {
    expect(['16', '-0.5', '.5', '1e3', '+2'].map(sheetValue)).toEqual([16, -0.5, 0.5, 1000, 2]);
  });

  test('TRUE and FALSE in any case become booleans', () => {
    expect(['TRUE', 'false', 'True'].map(sheetValue)).toEqual([true, false, true]);
  });

  test('everything else stays text, including px sizes, hex colours and empty cells', () => {
    expect(['16px', '#fff', '', 'Inter', '1,000', ' 12'].map(sheetValue)).toEqual(['16px', '#fff', '', 'Inter', '1,000', ' 12']);
  });
});

describe('csvToRows', () => {
  test('parses quoted cells with commas and pads short rows', () => {
    expect(csvToRows('\uFEFFName,Value,Type\n"a, b","rgb(1, 2, 3)"\n', 'x.csv')).toEqual([
      ['Name', 'Value', 'Type'],
      ['a, b', 'rgb(1, 2, 3)', ''],
    ]);
  });

  test('bad CSV is an InputError naming the file', () => {
    expect(() => csvToRows('Name,Value\n"open,1\n', 'bad.csv')).toThrow(InputError);
    expect(() => csvToRows('Name,Value\n"open,1\n', 'bad.csv')).toThrow(/^bad\.csv is not valid CSV: /);
  });
});

describe('readCsvTabs', () => {
  test('each file is a tab named after the file, with tabIds in the order given', () => {
    const files: Record<string, string> = { 'a/Primitives.csv': 'Name,Value\nx,1\n', 'b/Semantic.tokens.csv': 'Name,Value\ny,{x}\n' };
    expect(readCsvTabs(Object.keys(files), (f) => files[f]!)).toEqual({
      tabs: [
        { tabId: 0, name: 'Primitives', rows: [['Name', 'Value'], ['x', 1]] },
        { tabId: 1, name: 'Semantic.tokens', rows: [['Name', 'Value'], ['y', '{x}']] },
      ],
    });
  });

  test('a missing file is an InputError saying so', () => {
    expect(() => readCsvTabs(['/nonexistent/dir/Tokens.csv'])).toThrow(new InputError('cannot read /nonexistent/dir/Tokens.csv: no such file'));
  });

  test('tabNameOf drops the directory and the extension', () => {
    expect([tabNameOf('examples/tokens/Primitives.csv'), tabNameOf('Flags'), tabNameOf('a.b.csv')]).toEqual(['Primitives', 'Flags', 'a.b']);
  });
});
