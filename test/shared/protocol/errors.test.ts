// Tests the error catalogue: every code is complete, close codes are unique and in our range, and
// the reconnect rule follows the catalogue.

import { ERRORS, SyncError, errorForCloseCode, shouldReconnect, type ErrorCode, type ErrorSpec } from '../../../shared/protocol/errors';

const entries = Object.entries(ERRORS) as [ErrorCode, ErrorSpec][];
/** Standard WebSocket codes the catalogue may use: 1011 internal error, 1012 service restart. */
const STANDARD_CLOSE_CODES = [1011, 1012];

describe('the error catalogue', () => {
  it('names every code in UPPER_SNAKE_CASE', () => {
    expect(entries.map(([code]) => code).filter((code) => !/^[A-Z][A-Z0-9_]*$/.test(code))).toEqual([]);
  });

  it('gives every code a message a person can read: a full sentence', () => {
    expect(entries.filter(([, spec]) => typeof spec.message !== 'string' || spec.message.length < 20 || !/[.)]$/.test(spec.message)).map(([code]) => code)).toEqual([]);
  });

  it('gives every code an HTTP status between 400 and 599', () => {
    expect(entries.filter(([, spec]) => !Number.isInteger(spec.status) || spec.status < 400 || spec.status > 599).map(([code]) => code)).toEqual([]);
  });

  it('says for every code whether to retry', () => {
    expect(entries.filter(([, spec]) => typeof spec.retry !== 'boolean').map(([code]) => code)).toEqual([]);
  });

  it('uses each close code once', () => {
    const closeCodes = entries.flatMap(([, spec]) => (spec.closeCode === undefined ? [] : [spec.closeCode]));
    expect(new Set(closeCodes).size).toBe(closeCodes.length);
  });

  it('keeps application close codes in 4400-4499, apart from the standard 1011 and 1012', () => {
    const outside = entries.filter(([, spec]) => spec.closeCode !== undefined && !(spec.closeCode >= 4400 && spec.closeCode <= 4499) && !STANDARD_CLOSE_CODES.includes(spec.closeCode));
    expect(outside.map(([code]) => code)).toEqual([]);
  });

  it('uses 1011 for INTERNAL and 1012 for SHUTTING_DOWN', () => {
    expect([ERRORS.INTERNAL.closeCode, ERRORS.SHUTTING_DOWN.closeCode]).toEqual([1011, 1012]);
  });

  it('gives every socket error the close code the protocol documents', () => {
    expect({
      BAD_MESSAGE: ERRORS.BAD_MESSAGE.closeCode,
      BAD_TOKEN: ERRORS.BAD_TOKEN.closeCode,
      TOKEN_REVOKED: ERRORS.TOKEN_REVOKED.closeCode,
      UNKNOWN_CHANNEL: ERRORS.UNKNOWN_CHANNEL.closeCode,
      HELLO_TIMEOUT: ERRORS.HELLO_TIMEOUT.closeCode,
      MESSAGE_TOO_BIG: ERRORS.MESSAGE_TOO_BIG.closeCode,
      UNSUPPORTED_VERSION: ERRORS.UNSUPPORTED_VERSION.closeCode,
      RATE_LIMITED: ERRORS.RATE_LIMITED.closeCode,
      TOO_MANY_SOCKETS: ERRORS.TOO_MANY_SOCKETS.closeCode,
      SLOW_CONSUMER: ERRORS.SLOW_CONSUMER.closeCode,
    }).toEqual({
      BAD_MESSAGE: 4400,
      BAD_TOKEN: 4401,
      TOKEN_REVOKED: 4403,
      UNKNOWN_CHANNEL: 4404,
      HELLO_TIMEOUT: 4408,
      MESSAGE_TOO_BIG: 4413,
      UNSUPPORTED_VERSION: 4426,
      RATE_LIMITED: 4429,
      TOO_MANY_SOCKETS: 4430,
      SLOW_CONSUMER: 4431,
    });
  });
});

describe('errorForCloseCode', () => {
  it('finds the code of every close code in the catalogue', () => {
    for (const [code, spec] of entries) if (spec.closeCode !== undefined) expect([spec.closeCode, errorForCloseCode(spec.closeCode)]).toEqual([spec.closeCode, code]);
  });

  it('finds nothing for a close code the catalogue does not use', () => {
    expect([1000, 4000, 4499].map(errorForCloseCode)).toEqual([undefined, undefined, undefined]);
  });
});

describe('shouldReconnect', () => {
  it('follows the retry flag of every close code in the catalogue', () => {
    for (const [code, spec] of entries) if (spec.closeCode !== undefined) expect([code, shouldReconnect(spec.closeCode)]).toEqual([code, spec.retry]);
  });

  it('does not reconnect after a bad or revoked token: a person must paste a new code', () => {
    expect([shouldReconnect(4401), shouldReconnect(4403)]).toEqual([false, false]);
  });

  it('reconnects after a restart, an internal error, a slow consumer or rate limiting', () => {
    expect([1012, 1011, 4431, 4429].map(shouldReconnect)).toEqual([true, true, true, true]);
  });

  it('reconnects after the standard closes 1000, 1001 and 1006 (no close frame)', () => {
    expect([1000, 1001, 1006].map(shouldReconnect)).toEqual([true, true, true]);
  });

  it('stops after an application close code it does not know', () => {
    expect([4000, 4499, 4999].map(shouldReconnect)).toEqual([false, false, false]);
  });
});

describe('SyncError', () => {
  it('carries the code, the status and the catalogue message', () => {
    const err = new SyncError('UNKNOWN_CHANNEL');
    expect([err.name, err.code, err.status, err.message, err.detail]).toEqual(['SyncError', 'UNKNOWN_CHANNEL', 404, ERRORS.UNKNOWN_CHANNEL.message, undefined]);
    expect(err).toBeInstanceOf(Error);
  });

  it('appends the detail to the message', () => {
    const err = new SyncError('BAD_CHANGE', 'tabs[0].ranges[2].row must be ≥ 1');
    expect(err.message).toBe(`${ERRORS.BAD_CHANGE.message} tabs[0].ranges[2].row must be ≥ 1`);
  });

  it('turns into the error body the relay answers with, with the detail apart', () => {
    expect(new SyncError('BAD_CHANGE', 'tabs must be an array').toBody()).toEqual({ error: { code: 'BAD_CHANGE', message: ERRORS.BAD_CHANGE.message, detail: 'tabs must be an array' } });
  });

  it('leaves detail out of the body when there is none', () => {
    expect(new SyncError('RATE_LIMITED').toBody()).toEqual({ error: { code: 'RATE_LIMITED', message: ERRORS.RATE_LIMITED.message } });
  });
});
