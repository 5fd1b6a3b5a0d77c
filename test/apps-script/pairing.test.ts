// Connecting a sheet: the channel is registered, a snapshot of the synced tabs reaches the relay,
// this user's triggers exist, and the pairing code lets a subscriber follow the sheet.

import { decodePairingCode } from '../../shared/pairing-code';
import { expectedGrid, mirrorOf, OWNER, startHarness, type Harness } from '../fakes/apps-script/harness';
import type { SidebarState } from '../../apps-script/core/sidebar-state';

describe('connecting a sheet to a relay', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  }, 120_000);
  afterAll(async () => {
    await h?.close();
  });

  it('registers the channel, sends a snapshot of the tabs with a Name header and shows a pairing code', async () => {
    const world = h.world();
    const state = world.run(OWNER, 'connect', [h.gate.url]) as SidebarState;
    expect(state.connected).toBe(true);
    expect(state.status).toEqual({ kind: 'live', text: 'Live', queued: 0 });
    const code = decodePairingCode(state.pairingCode!);
    expect(code.ok).toBe(true);
    const mirror = await mirrorOf(h, state.pairingCode!);
    await mirror.until(1);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    expect(world.triggers.map((t) => [t.user, t.handler, t.eventType])).toEqual([
      [OWNER, 'handleEdit', 'ON_EDIT'],
      [OWNER, 'handleChange', 'ON_CHANGE'],
      [OWNER, 'retryQueue', 'CLOCK'],
    ]);
  });
});
