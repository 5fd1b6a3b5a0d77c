import { createHash, randomUUID } from 'node:crypto';
import { newChannelClaim, secretFromUuids } from '../../../apps-script/core/credentials';
import { isChannelId } from '../../../shared/protocol/messages';
import { base64UrlDecode } from '../../../shared/protocol/signing';

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

  it('makes a claim like a secret and derives the channel id from it, as the protocol defines, in an id the protocol accepts', () => {
    const { claim, channelId } = newChannelClaim([randomUUID(), randomUUID(), randomUUID()], sha256Hex);
    expect(base64UrlDecode(claim)!.length).toBe(32);
    expect(channelId).toBe(`c${createHash('sha256').update(`sfs-channel:${claim}`).digest('base64url').slice(0, 31)}`);
    expect(isChannelId(channelId)).toBe(true);
  });
});
