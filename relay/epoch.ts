// A channel's epoch: a random name for one unbroken history. It is made when the channel is created
// and again whenever its history is reset, so a client's (epoch, seq) is never mistaken across resets.

import { randomBytes } from 'node:crypto';

export function newEpoch(): string {
  return randomBytes(9).toString('base64url');
}
