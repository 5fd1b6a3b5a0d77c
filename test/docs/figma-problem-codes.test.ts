// docs/sheet-format.md lists every problem the planner and the plugin's Figma adapter can report.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PLAN_PROBLEM_CODES } from '../../shared/plan-problems';
import { REFUSAL_CODES } from '../../figma-plugin/main/figma-refusals';

const doc = readFileSync(join(__dirname, '../../docs/sheet-format.md'), 'utf8');

describe('docs/sheet-format.md', () => {
  test.each(PLAN_PROBLEM_CODES)('documents the plan problem %s', (code) => {
    expect(doc).toContain(`\`${code}\``);
  });

  test.each(Object.values(REFUSAL_CODES))('documents the Figma refusal %s', (code) => {
    expect(doc).toContain(`\`${code}\``);
  });
});
