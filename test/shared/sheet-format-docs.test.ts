import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAPPER_PROBLEM_CODES, MAPPER_PROBLEMS } from '../../shared/mapper-problems';

const doc = readFileSync(join(__dirname, '../../docs/sheet-format.md'), 'utf8');

/** The rows of the problem table: `CODE` → severity as the doc states it. */
function documentedCodes(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([A-Z_]+)` \| (error|warning) \|/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

describe('docs/sheet-format.md', () => {
  test('lists every problem code the mapper defines, with its severity', () => {
    const documented = documentedCodes();
    expect(MAPPER_PROBLEM_CODES.map((code) => [code, documented.get(code)])).toEqual(MAPPER_PROBLEM_CODES.map((code) => [code, MAPPER_PROBLEMS[code]]));
  });

  test('lists no code the mapper does not define', () => {
    expect([...documentedCodes().keys()].filter((code) => !(code in MAPPER_PROBLEMS))).toEqual([]);
  });
});
