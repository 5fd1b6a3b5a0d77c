// docs/tokens.md lists every problem code token export defines, with its severity, and no other.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TOKEN_PROBLEM_CODES, TOKEN_PROBLEMS } from '../../../shared/tokens/token-problems';

const doc = readFileSync(join(__dirname, '../../../docs/tokens.md'), 'utf8');

function documented(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([A-Z_]+)` \| (error|warning) \|/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

test('docs/tokens.md lists every export problem code with its severity, and no code that nothing defines', () => {
  expect([...documented().entries()]).toEqual(TOKEN_PROBLEM_CODES.map((code) => [code, TOKEN_PROBLEMS[code]]));
});
