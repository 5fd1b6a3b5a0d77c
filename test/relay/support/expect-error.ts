// Asserts a relay error answer as a whole: the status, and the body {error: {code, message, detail?}}
// with the catalogue's message; `detail` undefined means the answer must carry none.

import { ERRORS, type ErrorCode } from '../../../shared/protocol/errors';
import type { Answer } from './relay-api';

export function expectError(answer: Answer, code: ErrorCode, detail?: string | RegExp): void {
  const error: Record<string, unknown> = { code, message: ERRORS[code].message };
  if (detail !== undefined) error.detail = typeof detail === 'string' ? detail : expect.stringMatching(detail);
  expect({ status: answer.status, body: answer.body }).toEqual({ status: ERRORS[code].status, body: { error } });
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
}
