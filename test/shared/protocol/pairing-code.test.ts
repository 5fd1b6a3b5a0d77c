// Tests the pairing code: what it encodes, that it round-trips, and each way a pasted code can be wrong.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { PAIRING_PREFIX, decodePairingCode, encodePairingCode, socketUrl, type PairingLink } from '../../../shared/protocol/pairing-code';
import { base64UrlEncode, subscribeToken } from '../../../shared/protocol/signing';

const LINK: PairingLink = {
  relayUrl: 'https://relay.example.com',
  channelId: 'ch_4f9a2b7c1d3e5f60',
  token: subscribeToken('q3Zt8kQm1w0bV4nR7yX2cE5uJ9hL6pA-sD_fG3kM8nB', 'ch_4f9a2b7c1d3e5f60'),
};
/** A code whose JSON is written by hand, to test decoding apart from encoding. */
const codeOf = (json: unknown): string => PAIRING_PREFIX + Buffer.from(JSON.stringify(json), 'utf8').toString('base64url');

const NOT_A_CODE = 'This is not a pairing code: copy the whole code (it starts with "sfs1.") from the sheet\'s add-on sidebar.';
const DAMAGED = "This pairing code is damaged or incomplete: copy it again from the sheet's add-on sidebar.";

describe('encodePairingCode', () => {
  it('is "sfs1." followed by base64url of the JSON {u, c, t}', () => {
    const code = encodePairingCode(LINK);
    expect(code.startsWith('sfs1.')).toBe(true);
    expect(JSON.parse(Buffer.from(code.slice(5), 'base64url').toString('utf8'))).toEqual({ u: LINK.relayUrl, c: LINK.channelId, t: LINK.token });
    expect(code.slice(5)).toMatch(/^[A-Za-z0-9_-]+$/);
  });
});

describe('the worked example of docs/protocol.md', () => {
  const DOCUMENTED =
    'sfs1.eyJ1IjoiaHR0cHM6Ly9yZWxheS5leGFtcGxlLmNvbSIsImMiOiJjaF80ZjlhMmI3YzFkM2U1ZjYwIiwidCI6IkVBZm9RaUNHUE9aWVNkajR0ejJlVTNCbkdVZzQzN2FDQXBPSlR5QmgwTnMifQ';

  it('encodes the documented link to the documented code', () => {
    expect(encodePairingCode(LINK)).toBe(DOCUMENTED);
  });

  it('docs/protocol.md shows this very code', () => {
    expect(readFileSync(join(__dirname, '../../../docs/protocol.md'), 'utf8')).toContain(`| pairing code | \`${DOCUMENTED}\` |`);
  });

  it('decodes the documented code to the documented link', () => {
    expect(decodePairingCode(DOCUMENTED)).toEqual({ ok: true, link: { relayUrl: 'https://relay.example.com', channelId: 'ch_4f9a2b7c1d3e5f60', token: 'EAfoQiCGPOZYSdj4tz2eU3BnGUg437aCApOJTyBh0Ns' } });
  });
});

describe('decodePairingCode', () => {
  it('decodes what encodePairingCode made', () => {
    expect(decodePairingCode(encodePairingCode(LINK))).toEqual({ ok: true, link: LINK });
  });

  it('round-trips any valid link', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('https://relay.example.com', 'https://sync.team.example:8443', 'http://localhost:8787', 'http://127.0.0.1:55321'),
        fc.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
        fc.stringMatching(/^[A-Za-z0-9_-]{20,256}$/),
        (relayUrl, channelId, token) => {
          expect(decodePairingCode(encodePairingCode({ relayUrl, channelId, token }))).toEqual({ ok: true, link: { relayUrl, channelId, token } });
        },
      ),
    );
  });

  it('ignores spaces and line breaks around and inside a pasted code', () => {
    const code = encodePairingCode(LINK);
    const wrapped = `  ${code.slice(0, 30)}\n${code.slice(30, 60)} \r\n${code.slice(60)}\n`;
    expect(decodePairingCode(wrapped)).toEqual({ ok: true, link: LINK });
  });

  it('drops a trailing slash from the relay URL', () => {
    expect(decodePairingCode(codeOf({ u: 'https://relay.example.com/', c: LINK.channelId, t: LINK.token }))).toEqual({ ok: true, link: LINK });
  });

  it('refuses text without the sfs1. prefix', () => {
    expect(decodePairingCode(encodePairingCode(LINK).slice(5))).toEqual({ ok: false, message: NOT_A_CODE });
  });

  it('refuses an empty paste', () => {
    expect(decodePairingCode('')).toEqual({ ok: false, message: NOT_A_CODE });
  });

  it('refuses a code cut short', () => {
    const code = encodePairingCode(LINK);
    expect(decodePairingCode(code.slice(0, code.length - 10))).toEqual({ ok: false, message: DAMAGED });
  });

  it('refuses a code whose payload is not base64url', () => {
    expect(decodePairingCode('sfs1.abc+def/')).toEqual({ ok: false, message: DAMAGED });
  });

  it('refuses a code whose payload is not JSON', () => {
    expect(decodePairingCode(PAIRING_PREFIX + base64UrlEncode(new Uint8Array([0x7b, 0x22, 0xff, 0xfe])))).toEqual({ ok: false, message: DAMAGED });
  });

  it('refuses a code that lacks the token', () => {
    expect(decodePairingCode(codeOf({ u: LINK.relayUrl, c: LINK.channelId }))).toEqual({ ok: false, message: DAMAGED });
  });

  it('refuses a code whose channel id is malformed', () => {
    expect(decodePairingCode(codeOf({ u: LINK.relayUrl, c: 'short', t: LINK.token }))).toEqual({ ok: false, message: DAMAGED });
  });

  it('refuses a code whose token is malformed', () => {
    expect(decodePairingCode(codeOf({ u: LINK.relayUrl, c: LINK.channelId, t: 'not a token!' }))).toEqual({ ok: false, message: DAMAGED });
  });

  it('refuses a plain http relay that is not loopback, naming it', () => {
    expect(decodePairingCode(codeOf({ u: 'http://relay.example.com', c: LINK.channelId, t: LINK.token }))).toEqual({
      ok: false,
      message: 'The relay address in this pairing code (http://relay.example.com) is not an https:// address of a host.',
    });
  });

  it('refuses a relay address with a path (a relay answers at the root of its host)', () => {
    expect(decodePairingCode(codeOf({ u: 'https://relay.example.com/sync', c: LINK.channelId, t: LINK.token }))).toEqual({
      ok: false,
      message: 'The relay address in this pairing code (https://relay.example.com/sync) is not an https:// address of a host.',
    });
  });

  it('refuses a relay address that is not a URL', () => {
    expect(decodePairingCode(codeOf({ u: 'relay.example.com', c: LINK.channelId, t: LINK.token }))).toEqual({
      ok: false,
      message: 'The relay address in this pairing code (relay.example.com) is not an https:// address of a host.',
    });
  });
});

describe('socketUrl', () => {
  it('turns an https relay into a wss socket URL', () => {
    expect(socketUrl('https://relay.example.com', LINK.channelId)).toBe('wss://relay.example.com/v2/channels/ch_4f9a2b7c1d3e5f60/socket');
  });

  it('turns a loopback http relay into a ws socket URL', () => {
    expect(socketUrl('http://127.0.0.1:8787/', LINK.channelId)).toBe('ws://127.0.0.1:8787/v2/channels/ch_4f9a2b7c1d3e5f60/socket');
  });

  it('keeps a path prefix of the relay URL', () => {
    expect(socketUrl('https://example.com/relay', LINK.channelId)).toBe('wss://example.com/relay/v2/channels/ch_4f9a2b7c1d3e5f60/socket');
  });
});
