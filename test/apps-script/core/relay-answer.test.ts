import { classifyChangeAnswer, classifyPlainAnswer } from '../../../apps-script/core/relay-answer';
import { ERRORS } from '../../../shared/protocol/errors';

const body = (code: string, message: string, detail?: string) => JSON.stringify({ error: { code, message, ...(detail ? { detail } : {}) } });
const accepted = { epoch: 'e1', seq: 4, hash: 'a'.repeat(64) };

describe('what an answer from the relay means', () => {
  it('takes a 200 with a seq as accepted', () => {
    expect(classifyChangeAnswer({ status: 200, text: JSON.stringify(accepted) })).toEqual({ kind: 'accepted', accepted });
  });

  it('reads a 409 HASH_MISMATCH as "send a snapshot"', () => {
    expect(classifyChangeAnswer({ status: 409, text: body('HASH_MISMATCH', 'x') })).toEqual({ kind: 'mismatch' });
  });

  it('reads 413 as "split the change"', () => {
    expect(classifyChangeAnswer({ status: 413, text: body('BODY_TOO_LARGE', 'too big', 'over 5 MB') })).toEqual({ kind: 'too-large', failure: { code: 'BODY_TOO_LARGE', message: 'too big over 5 MB' } });
  });

  it('retries after a network failure, naming what Apps Script said', () => {
    expect(classifyChangeAnswer({ failure: 'Address unavailable: https://r.example.com' })).toEqual({
      kind: 'retry',
      failure: { code: 'RELAY_UNREACHABLE', message: `${ERRORS.RELAY_UNREACHABLE.message} (Address unavailable: https://r.example.com)` },
    });
  });

  it('retries a 5xx and a 429, keeping the relay’s own words', () => {
    expect(classifyChangeAnswer({ status: 503, text: body('SHUTTING_DOWN', 'restarting') })).toEqual({ kind: 'retry', failure: { code: 'SHUTTING_DOWN', message: 'restarting' } });
    expect(classifyChangeAnswer({ status: 429, text: body('RATE_LIMITED', 'slow down') })).toEqual({ kind: 'retry', failure: { code: 'RATE_LIMITED', message: 'slow down' } });
  });

  it('retries a proxy’s error page, as an answer that is not the protocol', () => {
    expect(classifyChangeAnswer({ status: 502, text: '<html>Bad gateway</html>' })).toEqual({ kind: 'retry', failure: { code: 'RELAY_UNREACHABLE', message: `${ERRORS.RELAY_UNREACHABLE.message} (HTTP 502)` } });
    expect(classifyChangeAnswer({ status: 200, text: '<html>login</html>' })).toEqual({ kind: 'retry', failure: { code: 'BAD_ANSWER', message: `${ERRORS.BAD_ANSWER.message} (HTTP 200)` } });
  });

  it('stops on 401 and 404: a person must reconnect, retrying cannot help', () => {
    expect(classifyChangeAnswer({ status: 401, text: body('BAD_SIGNATURE', 'bad sig') })).toEqual({ kind: 'stop', failure: { code: 'BAD_SIGNATURE', message: 'bad sig' } });
    expect(classifyChangeAnswer({ status: 404, text: body('UNKNOWN_CHANNEL', 'gone') })).toEqual({ kind: 'stop', failure: { code: 'UNKNOWN_CHANNEL', message: 'gone' } });
  });

  it('signs again once when the relay saw the same signature', () => {
    expect(classifyChangeAnswer({ status: 401, text: body('REPLAYED', 'again') })).toEqual({ kind: 'replayed', failure: { code: 'REPLAYED', message: 'again' } });
  });

  it('reads other requests’ answers with their own body check', () => {
    const isObj = (v: unknown): v is { a: number } => typeof (v as { a?: unknown }).a === 'number';
    expect(classifyPlainAnswer({ status: 201, text: '{"a":1}' }, isObj)).toEqual({ ok: true, body: { a: 1 } });
    expect(classifyPlainAnswer({ status: 409, text: body('CHANNEL_TAKEN', 'taken') }, isObj)).toEqual({ ok: false, retry: false, failure: { code: 'CHANNEL_TAKEN', message: 'taken' } });
    expect(classifyPlainAnswer({ status: 503, text: '' }, isObj)).toEqual({ ok: false, retry: true, failure: { code: 'RELAY_UNREACHABLE', message: `${ERRORS.RELAY_UNREACHABLE.message} (HTTP 503)` } });
  });
});
