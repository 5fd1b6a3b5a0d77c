// A key rotation whose answer is lost (a proxy's 502 after the relay rotated, a timeout) does not
// lock the sheet out: the new secret waits as pending and is adopted once the relay shows it holds it.

import { connectedWorld, OWNER, sidebarState, thrown } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';
import type { AddonWorld } from '../fakes/apps-script/run-addon';


const secrets = (world: AddonWorld) => [world.documentProperties.data.get('sfs.secret'), world.documentProperties.data.get('sfs.pendingSecret')];
const requests = (world: AddonWorld) => world.fetches.map((f) => [f.method, f.status]);

describe('a key rotation whose answer was lost', () => {
  const h = useHarness();

  /** Rotates while the gate forwards the request but answers 502: the relay holds the new secret. */
  async function lostRotation(world: AddonWorld): Promise<{ old: string; pending: string }> {
    const old = world.documentProperties.data.get('sfs.secret')!;
    await h.gate.set({ kind: 'swallow', status: 502 });
    expect(thrown(() => world.run(OWNER, 'rotateKey')).code).toBe('RELAY_UNREACHABLE');
    await h.gate.set({ kind: 'open' });
    const [secret, pending] = secrets(world);
    expect(secret).toBe(old);
    expect(pending).toEqual(expect.any(String));
    expect(pending).not.toBe(old);
    world.resetCounters();
    return { old, pending: pending! };
  }

  it('the next edit gets BAD_SIGNATURE, confirms the pending secret with the relay, adopts it and posts again', async () => {
    const { world } = await connectedWorld(h);
    const { pending } = await lostRotation(world);
    expect(world.edit(OWNER, 'Sizes', 'B2', [[64]])).toEqual([]);
    expect(requests(world)).toEqual([
      ['post', 401],
      ['put', 200],
      ['post', 200],
    ]);
    expect(secrets(world)).toEqual([pending, undefined]);
    expect(sidebarState(world).status.kind).toBe('live');
  });

  it('Connect again re-claims with the secret the relay holds instead of getting CHANNEL_TAKEN', async () => {
    const { world } = await connectedWorld(h);
    const { pending } = await lostRotation(world);
    world.run(OWNER, 'connect', [h.gate.url]);
    expect(requests(world)).toEqual([
      ['put', 200],
      ['put', 200],
      ['post', 200],
    ]);
    expect(secrets(world)).toEqual([pending, undefined]);
    expect(sidebarState(world).status.kind).toBe('live');
  });

  it('retrying Rotate adopts the rotation that took instead of sending another', async () => {
    const { world } = await connectedWorld(h);
    const { pending } = await lostRotation(world);
    world.run(OWNER, 'rotateKey');
    expect(requests(world)).toEqual([['put', 200]]);
    expect(secrets(world)).toEqual([pending, undefined]);
  });

  it('retrying Rotate after a rotation that never reached the relay drops it and registers a new secret', async () => {
    const { world } = await connectedWorld(h);
    const old = world.documentProperties.data.get('sfs.secret')!;
    await h.gate.set({ kind: 'refuse' });
    expect(thrown(() => world.run(OWNER, 'rotateKey')).code).toBe('RELAY_UNREACHABLE');
    await h.gate.set({ kind: 'open' });
    const lost = world.documentProperties.data.get('sfs.pendingSecret')!;
    world.resetCounters();
    world.run(OWNER, 'rotateKey');
    expect(requests(world)).toEqual([
      ['put', 401],
      ['put', 200],
    ]);
    const [secret, pending] = secrets(world);
    expect([pending, secret === old, secret === lost]).toEqual([undefined, false, false]);
    world.resetCounters();
    world.edit(OWNER, 'Sizes', 'B2', [[64]]);
    expect(requests(world)).toEqual([['post', 200]]);
  });
});
