// When the relay cannot take a change: kept in order in the outbox and sent when it answers,
// collapsed into a snapshot when it would not fit, shown in the sidebar; a channel the relay forgot is
// claimed again by itself; and answers a person must act on (wrong secret) stop posting instead of
// retrying blindly.

import type { SidebarState } from '../../apps-script/core/sidebar-state';
import { startRelayProcess } from '../helpers/relay-process';
import { connectedWorld, expectedGrid, mirrorOf, OWNER, sentChange, sidebarState } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';
import { PROPERTY_LIMITS } from '../fakes/apps-script/properties';
import type { AddonWorld } from '../fakes/apps-script/run-addon';

const addonKeys = (world: AddonWorld) => [...world.documentProperties.data.keys()].filter((k) => k.startsWith('sfs.')).sort();

describe('the relay out of reach', () => {
  const h = useHarness();
  afterEach(async () => {
    await h.gate.set({ kind: 'open' });
  });

  it('down for 50 edits, then back: every edit arrives, in order, and the sheet and relay agree', async () => {
    const { world, mirror } = await connectedWorld(h);
    await h.gate.set({ kind: 'refuse' });
    for (let i = 1; i <= 50; i++) expect(world.edit(OWNER, 'Colors', 'B2', [[`#0000${String(i).padStart(2, '0')}`]])).toEqual([]);
    const down = sidebarState(world);
    expect([down.status.kind, down.status.queued, down.status.code]).toEqual(['queued', 50, 'RELAY_UNREACHABLE']);
    // The first failure starts the backoff: later edits queue without knocking again.
    expect(world.fetches.length).toBeLessThan(5);
    expect(world.fetches.every((f) => f.error === 'ECONNRESET')).toBe(true);
    for (const [key, value] of world.documentProperties.data) expect(Buffer.byteLength(key + value)).toBeLessThan(PROPERTY_LIMITS.valueBytes);

    await h.gate.set({ kind: 'open' });
    world.resetCounters();
    expect(world.hourly()).toEqual([]);
    expect(world.fetches.map((f) => f.status)).toEqual(Array(50).fill(200));
    await mirror.until(51);
    const values = mirror.changes.slice(1).map((c) => (c.type === 'patch' && 'ranges' in c.tabs[0]! ? c.tabs[0].ranges[0]!.values[0]![0] : c.type));
    expect(values).toEqual(Array.from({ length: 50 }, (_, i) => `#0000${String(i + 1).padStart(2, '0')}`));
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    expect(sidebarState(world).status).toEqual({ kind: 'live', text: 'Live', queued: 0 });
    expect(addonKeys(world)).toEqual(['sfs.channel', 'sfs.claim', 'sfs.extents', 'sfs.last', 'sfs.members', 'sfs.prints', 'sfs.secret', 'sfs.tabs']);
  });

  it('the next edit after the backoff sends what waits first, then itself', async () => {
    const { world, mirror } = await connectedWorld(h);
    await h.gate.set({ kind: 'refuse' });
    world.edit(OWNER, 'Colors', 'B2', [['#111111']]);
    await h.gate.set({ kind: 'open' });
    world.advance(60_000); // past the first backoff step, well within the relay's clock skew
    world.resetCounters();
    world.edit(OWNER, 'Colors', 'B3', [['#222222']]);
    expect(world.fetches.map((f, i) => [JSON.stringify(sentChange(world, i).tabs[0]), f.status])).toEqual([
      [JSON.stringify({ tabId: 0, name: 'Colors', ranges: [{ row: 2, col: 2, values: [['#111111']] }] }), 200],
      [JSON.stringify({ tabId: 0, name: 'Colors', ranges: [{ row: 3, col: 2, values: [['#222222']] }] }), 200],
    ]);
    await mirror.until(3);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('a relay answering 503 keeps the change queued and the sidebar says so', async () => {
    const { world, mirror } = await connectedWorld(h);
    await h.gate.set({ kind: 'status', status: 503 });
    world.edit(OWNER, 'Sizes', 'B2', [[12]]);
    expect(sidebarState(world).status).toEqual({
      kind: 'queued',
      text: 'Queued: 1 change waiting for the relay (The relay could not be reached (no answer, a network error or a timeout). The change is kept in the sheet and sent when the relay answers. (HTTP 503))',
      queued: 1,
      code: 'RELAY_UNREACHABLE',
    });
    await h.gate.set({ kind: 'open' });
    world.hourly();
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('a relay that never answers times the fetch out and keeps the change', async () => {
    const { world } = await connectedWorld(h);
    await h.gate.set({ kind: 'hang' });
    world.edit(OWNER, 'Sizes', 'B3', [[24]]);
    expect(world.fetches.map((f) => f.error)).toEqual(['TIMEOUT']);
    expect(sidebarState(world).status.queued).toBe(1);
  });

  it('a paste too large to queue collapses the outbox into one snapshot, sent when the relay is back', async () => {
    const { world, mirror } = await connectedWorld(h);
    await h.gate.set({ kind: 'refuse' });
    world.edit(OWNER, 'Colors', 'B2', [['#abcdef']]);
    const paste = Array.from({ length: 300 }, (_, r) => [`color/queued/${r}`, `#${(r * 7919).toString(16).padStart(6, '0').slice(-6)}`]);
    world.edit(OWNER, 'Colors', 'A4', paste);
    const waiting = sidebarState(world).status;
    expect([waiting.kind, waiting.queued, waiting.text.startsWith('Queued: a snapshot waiting for the relay (')]).toEqual(['queued', 1, true]);
    expect(addonKeys(world).filter((k) => k.startsWith('sfs.q.'))).toEqual([]);
    await h.gate.set({ kind: 'open' });
    world.resetCounters();
    world.hourly();
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['snapshot', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('an execution that cannot get the document lock asks for a snapshot, which the next one sends', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.locks.document.heldByOther = true;
    world.edit(OWNER, 'Sizes', 'B2', [[32]]);
    expect([world.fetches.length, world.documentProperties.data.has('sfs.wantSnapshot')]).toEqual([0, true]);
    expect(sidebarState(world).status.queued).toBe(1);
    world.locks.document.heldByOther = false;
    world.edit(OWNER, 'Colors', 'B2', [['#123456']]);
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['snapshot', 200]]);
    expect(world.documentProperties.data.has('sfs.wantSnapshot')).toBe(false);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('a wrong secret (401) stops posting with the relay’s message; the hourly sweep does not retry it', async () => {
    const { world } = await connectedWorld(h);
    world.documentProperties.data.set('sfs.secret', 'A'.repeat(43)); // as if another copy of the document rotated it
    world.edit(OWNER, 'Sizes', 'B2', [[40]]);
    expect(world.fetches.map((f) => f.status)).toEqual([401]);
    const stopped = sidebarState(world).status;
    expect(stopped).toEqual({
      kind: 'error',
      text: 'The X-Sync-Signature does not match the channel secret. Check the secret, or reconnect the sheet from the add-on.',
      queued: 1,
      code: 'BAD_SIGNATURE',
    });
    world.resetCounters();
    world.hourly();
    world.edit(OWNER, 'Sizes', 'B3', [[44]]);
    expect(world.fetches).toEqual([]);
    // A person asks: Sync now tries again (and is told the same).
    world.run(OWNER, 'syncNow');
    expect(world.fetches.map((f) => f.status)).toEqual([401]);
  });

  it('a channel the relay forgot (404) is re-claimed by itself with the same id, secret and claim, and a snapshot follows, so pairing codes keep working', async () => {
    const { world, state } = await connectedWorld(h);
    const fresh = await startRelayProcess();
    try {
      await h.gate.retarget(fresh.url); // a relay whose store was lost, or that let the idle channel expire
      world.edit(OWNER, 'Sizes', 'B2', [[48]]);
      // The patch (404), the re-claim (201), the patch again (409 on the new, empty channel), the snapshot.
      expect(world.fetches.map((f) => [f.method, f.status])).toEqual([
        ['post', 404],
        ['put', 201],
        ['post', 409],
        ['post', 200],
      ]);
      const claimed = JSON.parse(world.fetches[1]!.bodyText) as { secret: string; claim: string };
      expect(claimed).toEqual({ secret: world.documentProperties.data.get('sfs.secret'), claim: world.documentProperties.data.get('sfs.claim') });
      expect(sidebarState(world).status).toEqual({ kind: 'live', text: 'Live', queued: 0 });
      const mirror = await mirrorOf({ ...h, relay: fresh }, state.pairingCode!);
      await mirror.until(1);
      expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
      await mirror.close();
    } finally {
      await h.gate.retarget(h.relay.url);
      await fresh.stop();
    }
  });

  it('a sheet paired before claims existed cannot prove its id: the 404 stops posting, and Connect makes a new channel and pairing code', async () => {
    const { world, state } = await connectedWorld(h);
    world.documentProperties.data.delete('sfs.claim'); // as a sheet connected by the previous version
    const fresh = await startRelayProcess();
    try {
      await h.gate.retarget(fresh.url);
      world.edit(OWNER, 'Sizes', 'B2', [[52]]);
      expect(world.fetches.map((f) => [f.method, f.status])).toEqual([['post', 404]]);
      expect(sidebarState(world).status.code).toBe('UNKNOWN_CHANNEL');
      const again = world.run(OWNER, 'connect', [h.gate.url]) as SidebarState;
      expect(again.status).toEqual({ kind: 'live', text: 'Live', queued: 0 });
      expect(again.pairingCode).not.toBe(state.pairingCode);
      const mirror = await mirrorOf({ ...h, relay: fresh }, again.pairingCode!);
      await mirror.until(1);
      expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
      await mirror.close();
    } finally {
      await h.gate.retarget(h.relay.url);
      await fresh.stop();
    }
  });

});
