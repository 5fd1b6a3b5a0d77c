// The pairing code a designer pastes into the plugin: relay URL + channel id + subscribe token in
// one copyable string, "sfs1." followed by base64url(JSON).

import { base64UrlDecode, base64UrlEncode } from './signing';
import { isChannelId } from './messages';
import { utf8Encode } from './utf8';

export const PAIRING_PREFIX = 'sfs1.';

export interface PairingLink {
  /** The relay's base URL, https:// (http:// only for loopback during development). */
  relayUrl: string;
  channelId: string;
  token: string;
}

export function encodePairingCode(link: PairingLink): string {
  return PAIRING_PREFIX + base64UrlEncode(utf8Encode(JSON.stringify({ u: link.relayUrl, c: link.channelId, t: link.token })));
}

/** Decodes a pairing code, or says in plain words what is wrong with it. */
export function decodePairingCode(text: string): { ok: true; link: PairingLink } | { ok: false; message: string } {
  // A long code pasted from a chat or an email may come back wrapped; no whitespace belongs in it.
  const code = text.replace(/\s+/g, '');
  if (!code.startsWith(PAIRING_PREFIX)) {
    return { ok: false, message: 'This is not a pairing code: copy the whole code (it starts with "sfs1.") from the sheet\'s add-on sidebar.' };
  }
  const bytes = base64UrlDecode(code.slice(PAIRING_PREFIX.length));
  let parsed: unknown;
  try {
    parsed = bytes ? JSON.parse(utf8Decode(bytes)) : undefined;
  } catch {
    parsed = undefined;
  }
  const o = parsed as { u?: unknown; c?: unknown; t?: unknown } | undefined;
  if (!o || typeof o.u !== 'string' || typeof o.c !== 'string' || typeof o.t !== 'string') {
    return { ok: false, message: 'This pairing code is damaged or incomplete: copy it again from the sheet\'s add-on sidebar.' };
  }
  // A relay lives at the root of its host (its routes start at /v2), as the add-on and the build require.
  if (!/^(https:\/\/[^\s/]+|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?)\/?$/.test(o.u)) {
    return { ok: false, message: `The relay address in this pairing code (${o.u}) is not an https:// address of a host.` };
  }
  if (!isChannelId(o.c) || !/^[A-Za-z0-9_-]{20,256}$/.test(o.t)) {
    return { ok: false, message: 'This pairing code is damaged or incomplete: copy it again from the sheet\'s add-on sidebar.' };
  }
  return { ok: true, link: { relayUrl: o.u.replace(/\/+$/, ''), channelId: o.c, token: o.t } };
}

/** The WebSocket URL for a channel: the relay URL with ws(s):// and the socket path. */
export function socketUrl(relayUrl: string, channelId: string): string {
  return `${relayUrl.replace(/^http/, 'ws').replace(/\/+$/, '')}/v2/channels/${channelId}/socket`;
}

function utf8Decode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    let cp: number;
    if (b < 0x80) { cp = b; i += 1; }
    else if (b < 0xe0) { cp = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f); i += 2; }
    else if (b < 0xf0) { cp = ((b & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f); i += 3; }
    else { cp = ((b & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f); i += 4; }
    out += String.fromCodePoint(cp);
  }
  return out;
}
