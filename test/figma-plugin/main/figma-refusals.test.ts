// Figma's error texts are read into kinds of refusal; the mode limit's N comes from Figma's words.

import { classifyRefusal, problem } from '../../../figma-plugin/main/figma-refusals';

test.each([
  ['in addMode: Limited to 4 modes only', { kind: 'mode-limit', limit: 4 }],
  ['in addMode: Limited to 1 mode only', { kind: 'mode-limit', limit: 1 }],
  ['in setValueForMode: cannot modify modes beyond limit of 10', { kind: 'mode-limit', limit: 10 }],
  ['in createVariable: duplicate variable name', { kind: 'name-taken' }],
  ['in createVariable: invalid variable name', { kind: 'name-invalid' }],
  ['in createVariable: Collection has reached the limit of 5000 variables', { kind: 'variable-limit' }],
  ['in get_name: The variable with id "VariableID:1:2" does not exist', { kind: 'vanished' }],
  ['in set_name: Cannot modify a remote variable from a library', { kind: 'remote' }],
  ['in setValueForMode: something new', { kind: 'other' }],
])('%j is read as %j', (text, kind) => {
  expect(classifyRefusal(new Error(text))).toEqual({ ...kind, text });
});

test('a very long message is clipped before it reaches a problem', () => {
  const refusal = classifyRefusal(new Error('x'.repeat(1000)));
  expect(refusal.text).toHaveLength(300);
  expect(problem('T', 'A1', 'FIGMA_REFUSED', 'y'.repeat(2000)).message).toHaveLength(1000);
});

test('something thrown that is not an Error is read by its text', () => {
  expect(classifyRefusal('in addMode: Limited to 2 modes only')).toEqual({ kind: 'mode-limit', limit: 2, text: 'in addMode: Limited to 2 modes only' });
});
