// The canonical hash's SHA-256 with Node's native crypto: the relay hashes chunk texts on every change.

import { createHash } from 'node:crypto';
import type { DigestHex } from '../shared/protocol/canonical-hash';

export const nodeDigest: DigestHex = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
