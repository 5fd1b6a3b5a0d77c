import { parseCommandLine } from '../../tools/command-line';

test('options may come before or after the command, with a value as the next word or after "="', () => {
  const line = parseCommandLine(['--format=css', 'export', '--out', 'dir', 'a.csv', 'b.csv']);
  expect(line).toEqual({ kind: 'run', command: 'export', options: new Map([['--format', 'css'], ['--out', 'dir']]), files: ['a.csv', 'b.csv'] });
});

test('"--" before the command means nothing; after it, every word is a file', () => {
  expect(parseCommandLine(['--', 'check', '--', '--json'])).toEqual({ kind: 'run', command: 'check', options: new Map(), files: ['--json'] });
});

test('-h and --help anywhere ask for help', () => {
  expect(parseCommandLine(['export', '--out', 'x', '-h'])).toEqual({ kind: 'help' });
});

test.each([
  [['export', '--out'], '--out needs a value'],
  [['check', '--json=yes', 'a.csv'], '--json takes no value'],
  [['check', '--yaml'], 'unknown option --yaml'],
  [['import', '--format', 'css', 'a.json'], 'option --format does not apply to import'],
  [['lint'], 'unknown command "lint"; use check, export, import or pull'],
  [[], 'no command given; use check, export, import or pull'],
  [['check', '--code', 'sfs1.x', 'a.csv'], 'option --code does not apply to check'],
])('%j is a usage error: %s', (argv, message) => {
  expect(parseCommandLine(argv)).toEqual({ kind: 'usage-error', message });
});
