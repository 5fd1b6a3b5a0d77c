// Tests the channel id's derivation from its claim against node:crypto as an independent
// implementation, and the worked example of docs/protocol.md (computed with Python's hashlib).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { channelIdForClaim, claimProves } from '../../../shared/protocol/channel-claim';
import { isChannelId } from '../../../shared/protocol/messages';

/** The documented example: python3 -c 'import hashlib,base64; c="Zq8v…3w"; print("c"+base64.urlsafe_b64encode(hashlib.sha256(("sfs-channel:"+c).encode()).digest()).decode()[:31])' */
const CLAIM = 'Zq8vN3rT0xW5yB2cL7kP4mH9jD6fS1aG-eU_iO8nQ3w';
const CHANNEL_ID = 'cnQkakVRfd4dA3IvNU3hXbRglUT1wNfI';

const nodeDerivation = (claim: string): string => `c${createHash('sha256').update(`sfs-channel:${claim}`, 'utf8').digest('base64url').slice(0, 31)}`;
const claims = fc.uint8Array({ minLength: 32, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url'));

describe('channelIdForClaim', () => {
  it('gives the worked example of docs/protocol.md, and the page shows it', () => {
    expect(channelIdForClaim(CLAIM)).toBe(CHANNEL_ID);
    const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'protocol.md'), 'utf8');
    expect(doc).toContain(CLAIM);
    expect(doc).toContain(CHANNEL_ID);
  });

  it('is "c" and the first 31 characters of base64url(SHA-256("sfs-channel:" + claim)), a valid channel id', () => {
    fc.assert(
      fc.property(claims, (claim) => {
        const id = channelIdForClaim(claim);
        expect(id).toBe(nodeDerivation(claim));
        expect(id).toHaveLength(32);
        expect(isChannelId(id)).toBe(true);
      }),
    );
  });
});

describe('claimProves', () => {
  it('accepts the claim an id was derived from', () => {
    fc.assert(fc.property(claims, (claim) => claimProves(channelIdForClaim(claim), claim)));
  });

  it('refuses another claim, a claim of another id, and a malformed claim', () => {
    expect(claimProves(CHANNEL_ID, `${CLAIM.slice(0, -1)}x`)).toBe(false);
    expect(claimProves('c'.repeat(32), CLAIM)).toBe(false);
    expect(claimProves(CHANNEL_ID, 'short')).toBe(false);
    expect(claimProves(CHANNEL_ID, `${CLAIM}!`)).toBe(false);
  });
});
