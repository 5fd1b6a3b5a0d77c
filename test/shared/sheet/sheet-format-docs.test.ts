// docs/sheet-format.md lists every problem a spreadsheet owner can see, with its severity: the
// mapper's, the planner's and the Figma refusals the plugin reports, and no code that does not exist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MAPPER_PROBLEM_CODES, MAPPER_PROBLEMS } from '../../../shared/sheet/mapper-problems';
import { PLAN_PROBLEM_CODES, PLAN_PROBLEMS } from '../../../shared/plan/plan-problems';
import { EXPORT_PROBLEM_CODES, EXPORT_PROBLEMS } from '../../../shared/sheet/export-problems';
import { IMPORT_PROBLEMS } from '../../../apps-script/core/import-problems';
import { PLUGIN_NOTICE_CODES, REFUSAL_CODES } from '../../../figma-plugin/main/figma-refusals';

const doc = readFileSync(join(__dirname, '../../../docs/sheet-format.md'), 'utf8');

/** The rows of the problem tables: `CODE` → severity as the doc states it. */
function documentedCodes(): Map<string, string> {
  const rows = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const m = /^\| `([A-Z_]+)` \| (error|warning) \|/.exec(line);
    if (m) rows.set(m[1]!, m[2]!);
  }
  return rows;
}

/** Every code with its severity; Figma's refusals are errors (the value or row was not applied), the plugin's notices warnings. */
const defined = new Map<string, string>([
  ...MAPPER_PROBLEM_CODES.map((code) => [code, MAPPER_PROBLEMS[code]] as [string, string]),
  ...PLAN_PROBLEM_CODES.map((code) => [code, PLAN_PROBLEMS[code]] as [string, string]),
  ...EXPORT_PROBLEM_CODES.map((code) => [code, EXPORT_PROBLEMS[code]] as [string, string]),
  // The sidebar's Import, about the sheet itself.
  ...Object.entries(IMPORT_PROBLEMS),
  ...Object.values(REFUSAL_CODES).map((code) => [code, 'error'] as [string, string]),
  // What the plugin noticed in the file (skipped, or put back): warnings.
  ...Object.values(PLUGIN_NOTICE_CODES).map((code) => [code, 'warning'] as [string, string]),
]);

describe('docs/sheet-format.md', () => {
  test('lists every problem code the mapper, the planner and the plugin define, with its severity', () => {
    const documented = documentedCodes();
    expect([...defined.keys()].map((code) => [code, documented.get(code)])).toEqual([...defined.entries()]);
  });

  test('lists no code that nothing defines', () => {
    expect([...documentedCodes().keys()].filter((code) => !defined.has(code))).toEqual([]);
  });
});
