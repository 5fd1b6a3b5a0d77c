import { readHeader, type HeaderLayout } from '../../../shared/sheet/header';
import type { MapperProblemCode } from '../../../shared/sheet/mapper-problems';
import type { CellValue } from '../../../shared/protocol/grid';

interface Reported {
  col: number;
  code: MapperProblemCode;
  message: string;
}

function read(header: CellValue[]): { layout: HeaderLayout | undefined; problems: Reported[] } {
  const problems: Reported[] = [];
  const layout = readHeader(header, (col, code, message) => problems.push({ col, code, message }));
  return { layout, problems };
}

describe('readHeader', () => {
  test('finds Name, the reserved columns and the modes, matching headers case-insensitively and trimmed', () => {
    expect(read([' name ', 'LIGHT', 'Dark', 'type', 'Description', 'SCOPES', 'hidden', 'Web', 'android', 'IOS'])).toEqual({
      layout: {
        name: 0,
        type: 3,
        description: 4,
        scopes: 5,
        hidden: 6,
        codeSyntax: [
          { platform: 'WEB', col: 7 },
          { platform: 'ANDROID', col: 8 },
          { platform: 'iOS', col: 9 },
        ],
        modes: [
          { name: 'LIGHT', col: 1 },
          { name: 'Dark', col: 2 },
        ],
        unnamed: [],
      },
      problems: [],
    });
  });

  test('a single value column is the one (default) mode, named after its header', () => {
    expect(read(['Name', 'Value']).layout).toEqual({ name: 0, codeSyntax: [], modes: [{ name: 'Value', col: 1 }], unnamed: [] });
  });

  test('modes keep column order wherever Name is', () => {
    expect(read(['Desktop', 'Name', 'Mobile']).layout!.modes).toEqual([
      { name: 'Desktop', col: 0 },
      { name: 'Mobile', col: 2 },
    ]);
  });

  test('empty header cells are listed as unnamed columns, not modes', () => {
    expect(read(['Name', '', 'Value', '  ']).layout).toEqual({ name: 0, codeSyntax: [], modes: [{ name: 'Value', col: 2 }], unnamed: [1, 3] });
  });

  test('a number in the header is a mode named by its digits', () => {
    expect(read(['Name', 2024]).layout!.modes).toEqual([{ name: '2024', col: 1 }]);
  });

  test('a tab without a Name column gets one error at A1 naming the header it needs', () => {
    expect(read(['Token', 'Light', 'Dark'])).toEqual({
      layout: undefined,
      problems: [
        {
          col: 1,
          code: 'HEADER_NAME_MISSING',
          message: 'This tab needs a header row with a "Name" column (row 1 has "Token", "Light", "Dark"); put "Name" in row 1 above the variable names, and a mode name such as "Value" above the values',
        },
      ],
    });
  });

  test('an empty header row gets the Name error', () => {
    expect(read([]).problems.map((p) => [p.col, p.code])).toEqual([[1, 'HEADER_NAME_MISSING']]);
  });

  test('a Name column without any value column is an error at A1', () => {
    expect(read(['Name', 'Description'])).toEqual({
      layout: undefined,
      problems: [
        {
          col: 1,
          code: 'HEADER_NO_MODES',
          message: 'Row 1 has a Name column but no value column; add a header such as "Value" (one mode) or "Light" and "Dark" (two modes) above the values',
        },
      ],
    });
  });

  test('a repeated header is an error at the second one, which is ignored', () => {
    expect(read(['Name', 'Light', 'light'])).toEqual({
      layout: { name: 0, codeSyntax: [], modes: [{ name: 'Light', col: 1 }], unnamed: [] },
      problems: [
        {
          col: 3,
          code: 'HEADER_DUPLICATE',
          message: 'Header "light" repeats column B; each header may appear once, so this column is ignored (rename it, e.g. to a new mode name)',
        },
      ],
    });
  });

  test('a repeated reserved header is an error and the first one counts', () => {
    const { layout, problems } = read(['Name', 'Value', 'Type', 'TYPE']);
    expect(layout!.type).toBe(2);
    expect(problems.map((p) => [p.col, p.code])).toEqual([[4, 'HEADER_DUPLICATE']]);
  });

  test('a mode name of 40 characters is accepted', () => {
    const name = 'm'.repeat(40);
    expect(read(['Name', name])).toEqual({ layout: { name: 0, codeSyntax: [], modes: [{ name, col: 1 }], unnamed: [] }, problems: [] });
  });

  test('a mode name of 41 characters is an error at its header and the column is ignored', () => {
    const long = 'm'.repeat(41);
    expect(read(['Name', 'Value', long])).toEqual({
      layout: { name: 0, codeSyntax: [], modes: [{ name: 'Value', col: 1 }], unnamed: [] },
      problems: [
        {
          col: 3,
          code: 'MODE_NAME_TOO_LONG',
          message: `Mode name "${long}" has 41 characters; Figma allows at most 40, so this column is ignored until the header is shortened`,
        },
      ],
    });
  });

  test('40 modes are accepted and the 41st is an error at its header cell', () => {
    const modes = Array.from({ length: 41 }, (_, i) => `Mode ${i + 1}`);
    const { layout, problems } = read(['Name', ...modes]);
    expect(layout!.modes).toHaveLength(40);
    expect(layout!.modes[39]).toEqual({ name: 'Mode 40', col: 40 });
    expect(problems).toEqual([
      {
        col: 42,
        code: 'MODE_LIMIT',
        message: 'Mode "Mode 41" would be mode 41; Figma allows at most 40 modes per collection, so this column is ignored (move it to another tab or remove a mode)',
      },
    ]);
  });
});
