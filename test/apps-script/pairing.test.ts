// Connecting a sheet: the channel is registered, a snapshot of the synced tabs reaches the relay,
// this user's triggers exist, and the pairing code lets a subscriber follow the sheet.

import type { SidebarState } from '../../apps-script/core/sidebar-state';
import { channelIdForClaim } from '../../shared/protocol/channel-claim';
import { ERRORS } from '../../shared/protocol/errors';
import { decodePairingCode } from '../../shared/protocol/pairing-code';
import { expectedGrid, mirrorOf, OWNER, sidebarState } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';
import type { ExecutionError } from '../fakes/apps-script/run-addon';

describe('connecting a sheet to a relay', () => {
  const h = useHarness();

  it('registers the channel, sends a snapshot of the tabs with a Name header and shows a pairing code', async () => {
    const world = h.world();
    const state = world.run(OWNER, 'connect', [h.gate.url]) as SidebarState;
    expect(state.connected).toBe(true);
    expect(state.status).toEqual({ kind: 'live', text: 'Live', queued: 0 });
    const code = decodePairingCode(state.pairingCode!);
    expect(code.ok && code.link.relayUrl).toBe(h.gate.url);
    const mirror = await mirrorOf(h, state.pairingCode!);
    await mirror.until(1);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    expect(world.triggers.map((t) => [t.user, t.handler, t.eventType])).toEqual([
      [OWNER, 'handleEdit', 'ON_EDIT'],
      [OWNER, 'handleChange', 'ON_CHANGE'],
      [OWNER, 'retryQueue', 'CLOCK'],
    ]);
    expect(world.triggers.find((t) => t.eventType === 'CLOCK')!.everyHours).toBe(1);
  });

  it('keeps the channel and its pairing code when the sheet connects again to the same relay', () => {
    const world = h.world();
    const first = world.run(OWNER, 'connect', [h.gate.url]) as SidebarState;
    const again = world.run(OWNER, 'connect', [`${h.gate.url}/`]) as SidebarState;
    expect(again.pairingCode).toBe(first.pairingCode);
  });
});

describe('connecting to a relay that asks for a registration key, with an add-on built without it', () => {
  const KEY = 'team-registration-key-0123456789';
  const h = useHarness({ REGISTRATION_KEY: KEY }, { addonRegistrationKey: '' });

  it('says the key is needed, in the relay’s words', () => {
    const world = h.world();
    let error: ExecutionError | undefined;
    try {
      world.run(OWNER, 'connect', [h.gate.url]);
    } catch (err) {
      error = err as ExecutionError;
    }
    expect([error?.code, error?.message]).toEqual(['REGISTRATION_KEY_REQUIRED', ERRORS.REGISTRATION_KEY_REQUIRED.message]);
    expect(sidebarState(world).connected).toBe(false);
    expect(world.triggers).toEqual([]);
  });

  it('connects with a key typed in the sidebar', async () => {
    const world = h.world();
    const state = world.run(OWNER, 'connect', [h.gate.url, KEY]) as SidebarState;
    expect(state.status.kind).toBe('live');
    expect(world.fetches[0]!.headers.Authorization).toBe(`Bearer ${KEY}`);
  });
});

describe('connecting to a relay that asks for a registration key, with an add-on built with it (REGISTRATION_KEY at build)', () => {
  const KEY = 'team-registration-key-0123456789';
  const h = useHarness({ REGISTRATION_KEY: `old-key-being-retired-0000, ${KEY}` }, { addonRegistrationKey: KEY });

  it('connects, sending the built-in key as a bearer token on the claim only, with the claim its channel id derives from', async () => {
    const world = h.world();
    const state = world.run(OWNER, 'connect', [h.gate.url]) as SidebarState;
    expect(state.status.kind).toBe('live');
    expect(world.fetches.map((f) => [f.method, f.headers.Authorization ?? null])).toEqual([
      ['put', `Bearer ${KEY}`],
      ['post', null],
    ]);
    const claim = (JSON.parse(world.fetches[0]!.bodyText) as { claim: string }).claim;
    expect(claim).toBe(world.documentProperties.data.get('sfs.claim'));
    expect(world.fetches[0]!.url.endsWith(`/v2/channels/${channelIdForClaim(claim)}`)).toBe(true);
    const mirror = await mirrorOf(h, state.pairingCode!);
    await mirror.until(1);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('never shows the claim or the key in the sidebar state', () => {
    const world = h.world();
    const state = world.run(OWNER, 'connect', [h.gate.url]) as SidebarState;
    const shown = JSON.stringify(state);
    expect(shown).not.toContain(world.documentProperties.data.get('sfs.claim'));
    expect(shown).not.toContain(KEY);
  });
});
