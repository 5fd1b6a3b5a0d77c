// The owner's controls and the add-on's life in a document: the menu in every AuthMode, a
// re-authorization that stops triggers cleanly, pause and resume, key rotation, disconnect, and
// a bundle whose top level does nothing.

import type { SidebarState } from '../../apps-script/core/sidebar-state';
import { decodePairingCode } from '../../shared/protocol/pairing-code';
import { subscribe } from '../helpers/ws-client';
import { connectedWorld, EDITOR, expectedGrid, OWNER, sentChange, sidebarState, thrown } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';


describe('the add-on’s life in a document', () => {
  const h = useHarness();

  it('loading the bundle touches no Apps Script service (the top level has no side effects)', () => {
    const world = h.world();
    world.load(OWNER);
    expect([world.touched, [...world.calls.keys()]]).toEqual([[], []]);
    // The recorder works: a call touches services.
    world.open(OWNER, 'NONE');
    expect(world.touched).toContain('SpreadsheetApp.getUi');
  });

  it('builds the menu in AuthMode.NONE without reading properties, with one Pause-or-resume item', () => {
    const world = h.world();
    world.open(OWNER, 'NONE');
    expect(world.menus).toEqual([
      {
        user: OWNER,
        authMode: 'NONE',
        items: [
          { caption: 'Open sidebar', functionName: 'openSidebar' },
          { caption: 'Sync now', functionName: 'syncNow' },
          { caption: 'Pause or resume sync', functionName: 'togglePause' },
        ],
      },
    ]);
    expect(world.documentProperties.reads).toBe(0);
  });

  it('builds the menu in AuthMode.LIMITED with the item that fits the state', async () => {
    const { world } = await connectedWorld(h);
    world.open(OWNER, 'LIMITED');
    world.run(OWNER, 'pauseSync');
    world.open(OWNER, 'LIMITED');
    expect(world.menus.map((m) => [m.authMode, m.items[2]])).toEqual([
      ['LIMITED', { caption: 'Pause sync', functionName: 'pauseSync' }],
      ['FULL', { caption: 'Resume sync', functionName: 'resumeSync' }],
      ['LIMITED', { caption: 'Resume sync', functionName: 'resumeSync' }],
    ]);
  });

  it('opens the sidebar from the built Sidebar.html, without the secret in it', async () => {
    const { world } = await connectedWorld(h);
    world.run(OWNER, 'openSidebar');
    const secret = world.documentProperties.data.get('sfs.secret')!;
    expect(world.sidebars.map((s) => s.title)).toEqual(['Figma sync']);
    expect(world.sidebars[0]!.content).toContain('<div id="app">');
    expect(world.sidebars[0]!.content).not.toContain(secret);
    expect(JSON.stringify(sidebarState(world))).not.toContain(secret);
  });

  it('when the add-on needs authorization again, triggers stop without fetching and the sidebar says so', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.needsAuthorization.add(OWNER);
    expect(world.edit(OWNER, 'Colors', 'B2', [['#aaaaaa']])).toEqual([]);
    expect(world.fetches).toEqual([]);
    // Add-on triggers send no failure emails: the owner's sidebar shows it with their link; other
    // users' sidebars say a collaborator's triggers wait (authorization is per user).
    const state = sidebarState(world, OWNER);
    expect([state.status.kind, state.status.code, state.reauthorizeUrl]).toEqual([
      'reauthorize',
      'REAUTHORIZATION_REQUIRED',
      `https://script.google.com/macros/d/fake-addon/authorize?user=${encodeURIComponent(OWNER)}`,
    ]);
    expect(sidebarState(world, EDITOR).othersNeedReauthorization).toBe(1);
    world.needsAuthorization.delete(OWNER);
    world.run(OWNER, 'syncNow');
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['snapshot', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    expect(sidebarState(world).status.kind).toBe('live');
  });

  it('paused edits are not posted; resume sends one snapshot with them', async () => {
    const { world, mirror } = await connectedWorld(h);
    expect((world.run(OWNER, 'pauseSync') as SidebarState).status.kind).toBe('paused');
    world.edit(OWNER, 'Colors', 'B2', [['#bbbbbb']]);
    world.insertRows('Sizes', 2, 1);
    expect(world.fetches).toEqual([]);
    expect((world.run(OWNER, 'togglePause') as SidebarState).status.kind).toBe('live');
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([['snapshot', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('a tab renamed and another removed while paused are as they are now in the snapshot resume sends', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.run(OWNER, 'pauseSync');
    world.renameTab('Colors', 'Palette');
    world.removeTab('Sizes');
    expect(world.fetches).toEqual([]);
    world.run(OWNER, 'resumeSync');
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Palette']));
  });

  it('rotating the key revokes the old pairing code and shows a new one that works', async () => {
    const { world, mirror, state } = await connectedWorld(h);
    const rotated = world.run(OWNER, 'rotateKey') as SidebarState;
    expect(rotated.pairingCode).not.toBe(state.pairingCode);
    expect(await mirror.socket.closed).toEqual({ code: 4403, reason: expect.any(String) });
    const old = decodePairingCode(state.pairingCode!);
    const next = decodePairingCode(rotated.pairingCode!);
    if (!old.ok || !next.ok) throw new Error('bad pairing code');
    expect(next.link.channelId).toBe(old.link.channelId);
    const refused = await subscribe(h.relay.url, old.link.channelId, old.link.token).catch((err: Error) => err);
    expect(refused).toBeInstanceOf(Error);
    const { socket } = await subscribe(h.relay.url, next.link.channelId, next.link.token);
    try {
      world.edit(OWNER, 'Sizes', 'B2', [[64]]);
      expect(world.fetches.map((f) => [f.method, f.status])).toEqual([
        ['put', 200],
        ['post', 200],
      ]);
      await socket.waitFor((m) => m.type === 'patch');
    } finally {
      await socket.close();
    }
  });

  it('disconnecting removes this user’s triggers and forgets the channel; later edits send nothing', async () => {
    const { world } = await connectedWorld(h);
    world.run(EDITOR, 'connect', [h.gate.url]);
    const state = world.run(OWNER, 'disconnect') as SidebarState;
    expect([state.connected, state.pairingCode, state.status.kind]).toEqual([false, undefined, 'not-connected']);
    expect(world.triggers.map((t) => [t.user, t.handler])).toEqual([
      [EDITOR, 'handleEdit'],
      [EDITOR, 'handleChange'],
      [EDITOR, 'retryQueue'],
    ]);
    expect([...world.documentProperties.data.keys()].filter((k) => k.startsWith('sfs.'))).toEqual(['sfs.tabs']);
    world.resetCounters();
    expect(world.edit(OWNER, 'Colors', 'B2', [['#cccccc']])).toEqual([]);
    expect(world.fetches).toEqual([]);
  });

  it('connecting twice creates no second set of triggers', async () => {
    const { world } = await connectedWorld(h);
    world.run(OWNER, 'connect', [h.gate.url]);
    expect(world.triggers.filter((t) => t.user === OWNER).map((t) => t.handler)).toEqual(['handleEdit', 'handleChange', 'retryQueue']);
  });

  it('says TRIGGER_LIMIT when Apps Script refuses a trigger, and connects anyway', () => {
    const world = h.world();
    world.triggers.push({ uid: 'old', user: OWNER, docId: world.spreadsheet.getId(), handler: 'oldVersionOnEdit', eventType: 'ON_EDIT' });
    const err = thrown(() => world.run(OWNER, 'connect', [h.gate.url]));
    expect([err.code, err.message]).toEqual([
      'TRIGGER_LIMIT',
      'The sheet is connected, but the add-on could not create its triggers for your account, so your edits are not sent yet: This add-on has created too many edit triggers in this document for this Google user account.',
    ]);
    const state = sidebarState(world);
    expect([state.connected, state.triggersMissing]).toEqual([true, true]);
  });

  it('refuses a relay address that is not https, with RELAY_URL_INVALID, when the test flag is not set', () => {
    const world = h.world();
    world.scriptProperties.data.delete('ALLOW_INSECURE_RELAY_FOR_TESTS');
    const err = thrown(() => world.run(OWNER, 'connect', [h.gate.url]));
    expect(err.code).toBe('RELAY_URL_INVALID');
    expect(err.message).toMatch(/^The relay address must start with https:\/\//);
    expect(world.fetches).toEqual([]);
  });

  it('asks to connect first for actions that need a channel, with NOT_CONNECTED', () => {
    const world = h.world();
    for (const fn of ['rotateKey', 'syncNow', 'pauseSync', 'resumeSync']) {
      expect(thrown(() => world.run(OWNER, fn)).code).toBe('NOT_CONNECTED');
    }
  });
});
