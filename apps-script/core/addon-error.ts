// The error a sidebar action throws: google.script.run hands its message to the sidebar's failure
// handler, and tests read its code.

import { ERRORS, type ErrorCode } from '../../shared/protocol/errors';

export class AddonError extends Error {
  readonly code: ErrorCode;
  /** `message` defaults to the catalogue's words for the code. */
  constructor(code: ErrorCode, message: string = ERRORS[code].message) {
    super(message);
    this.name = 'AddonError';
    this.code = code;
  }
}
