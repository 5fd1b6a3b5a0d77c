import { createHash, randomUUID } from 'node:crypto';
import { channelIdFromUuid, secretFromUuids } from '../../../apps-script/core/credentials';
import { isChannelId } from '../../../shared/protocol';
import { base64UrlDecode } from '../../../shared/signing';

const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

describe('a new channel’s credentials', () => {
  it('makes a secret of 32 bytes in base64url from three UUIDs', () => {
    const secret = secretFromUuids([randomUUID(), randomUUID(), randomUUID()], sha256Hex);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(base64UrlDecode(secret)!.length).toBe(32);
  });

  it('is base64url of the SHA-256 of the UUIDs joined by ":"', () => {
    expect(secretFromUuids(['a', 'b', 'c'], sha256Hex)).toBe(createHash('sha256').update('a:b:c').digest('base64url'));
  });

  it('gives different secrets for different UUIDs', () => {
    const a = secretFromUuids(['a', 'b', 'c'], sha256Hex);
    expect(secretFromUuids(['a', 'b', 'd'], sha256Hex)).not.toBe(a);
  });

  it('refuses fewer than three UUIDs, or repeated ones', () => {
    expect(() => secretFromUuids(['a', 'b'], sha256Hex)).toThrow('a secret needs 3 distinct UUIDs');
    expect(() => secretFromUuids(['a', 'a', 'b'], sha256Hex)).toThrow('a secret needs 3 distinct UUIDs');
  });

  it('makes a channel id of a UUID’s 32 hex digits, which the protocol accepts', () => {
    const id = channelIdFromUuid('0F8FAD5B-D9CB-469F-A165-70867728950E');
    expect(id).toBe('0f8fad5bd9cb469fa16570867728950e');
    expect(isChannelId(id)).toBe(true);
    expect(() => channelIdFromUuid('not-a-uuid')).toThrow('not a UUID: not-a-uuid');
  });
});
