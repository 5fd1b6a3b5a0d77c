// Whether a subscribe token opens a channel: the one check behind a socket's hello and the tokens
// endpoint's Authorization header, so both refuse a wrong or revoked token the same way.

import { constantTimeEqual, subscribeToken, tokenFingerprint } from '../shared/protocol/signing';
import type { ChannelRecord, Store } from './store';

/** Undefined when `token` is the channel's current subscribe token; else why it is refused. */
export async function tokenRefusal(store: Store, channel: ChannelRecord, token: string): Promise<'BAD_TOKEN' | 'TOKEN_REVOKED' | undefined> {
  if (constantTimeEqual(token, subscribeToken(channel.secret, channel.channelId))) return undefined;
  // A rotation remembers the fingerprints of the tokens it revoked (a bounded number, for a while).
  return (await store.isRevoked(channel.channelId, tokenFingerprint(token))) ? 'TOKEN_REVOKED' : 'BAD_TOKEN';
}
