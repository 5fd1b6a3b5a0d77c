// Sends an offer to a relay as the Figma plugin does: on a socket paired with the sheet's code, in
// slices (shared/protocol/offer-parts.ts), and waits for the relay's answer (throws on a refusal).

import { offerParts } from '../../shared/protocol/offer-parts';
import { decodePairingCode } from '../../shared/protocol/pairing-code';
import type { Offer } from '../../shared/protocol/messages';
import { subscribe } from './ws-client';

export async function offerFromFigma(relayUrl: string, pairingCode: string, offer: Offer): Promise<void> {
  const decoded = decodePairingCode(pairingCode);
  if (!decoded.ok) throw new Error(decoded.message);
  const { socket } = await subscribe(relayUrl, decoded.link.channelId, decoded.link.token);
  try {
    for (const part of offerParts(offer.id, JSON.stringify(offer), 512)) socket.send(part);
    const answer = await socket.waitFor((m) => m.type === 'offered' || m.type === 'offer-refused');
    if (answer.type !== 'offered') throw new Error(`the relay refused the offer: ${JSON.stringify(answer)}`);
  } finally {
    await socket.close();
  }
}
