// The plugin window's logic without a DOM: pairing, the main thread's messages, settings, orphans,
// unlink and the reconnect countdown, against fake sockets and a fake clock.

import { Controller } from '../../../figma-plugin/ui/controller';
import { describeStatus } from '../../../figma-plugin/ui/status-text';
import type { ViewState } from '../../../figma-plugin/ui/view-state';
import { encodePairingCode, type PairingLink } from '../../../shared/protocol/pairing-code';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { gridText } from '../../../shared/protocol/grid-text';
import type { CachedGrid, MainToUi, UiToMain } from '../../../shared/plan/plugin-messages';
import { COLORS_TAB, FakeChannel } from './fake-channel';
import { FakeClock } from './fake-clock';
import { FakeSockets } from './fake-socket';

const LINK: PairingLink = { relayUrl: 'https://relay.example.com', channelId: 'channel-0123456789ab', token: 'tokentokentokentokentokentoken' };
const OTHER: PairingLink = { ...LINK, channelId: 'channel-zzzzzzzzzzzz' };
const SOCKET_URL = 'wss://relay.example.com/v2/channels/channel-0123456789ab/socket';
const INIT: MainToUi = { type: 'init', fileName: 'Tokens.fig', settings: { paused: false, review: false }, orphans: [] };

function setup() {
  const clock = new FakeClock();
  const sockets = new FakeSockets();
  const toMain: UiToMain[] = [];
  const views: ViewState[] = [];
  const controller = new Controller({
    toMain: (m) => toMain.push(m),
    openSocket: sockets.open,
    clock,
    render: (view) => views.push(structuredClone(view)),
    sessionId: 'window-1',
    random: () => 1,
  });
  controller.start();
  const channel = new FakeChannel();
  channel.patch([COLORS_TAB]);
  const view = () => views[views.length - 1]!;
  /** Opens the socket and brings it live on a snapshot of `channel`. */
  const goLive = () => {
    const socket = sockets.last;
    socket.open();
    socket.receive(channel.welcome('snapshot'));
    socket.receive(channel.snapshot());
    return socket;
  };
  const applied = (seq: number, extra: Partial<Extract<MainToUi, { type: 'applied' }>> = {}): MainToUi => ({
    type: 'applied',
    position: { epoch: channel.epoch, seq },
    counts: { created: 2, updated: 0, unchanged: 0 },
    problems: [],
    orphans: [],
    durationMs: 9,
    ...extra,
  });
  return { clock, sockets, toMain, views, view, controller, channel, goLive, applied };
}

describe('Controller', () => {
  test('starting tells the main thread the window is ready and shows "Starting…" until init', () => {
    const t = setup();
    expect(t.toMain).toEqual([{ type: 'ui-ready' }]);
    expect(t.view().screen).toBe('starting');
  });

  test('init without a link shows the pairing screen and opens no socket', () => {
    const t = setup();
    t.controller.onMainMessage(INIT);
    expect(t.view()).toMatchObject({ screen: 'pairing', fileName: 'Tokens.fig' });
    expect(t.sockets.all).toEqual([]);
  });

  test('init with a link connects at once, resuming from the stored position and naming the file', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK, position: { epoch: 'epoch-1', seq: 1 } });
    expect(t.view().screen).toBe('connected');
    const socket = t.sockets.last;
    expect(socket.url).toBe(SOCKET_URL);
    socket.open();
    expect(socket.sent).toEqual([{ type: 'hello', v: 2, token: LINK.token, since: { epoch: 'epoch-1', seq: 1 }, client: { name: 'Tokens.fig', session: 'window-1' } }]);
  });

  test('a second init for the same link does not reconnect', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.controller.onMainMessage({ ...INIT, link: LINK });
    expect(t.sockets.all).toHaveLength(1);
  });

  test('a damaged pairing code is explained under the field and nothing is saved', () => {
    const t = setup();
    t.controller.onMainMessage(INIT);
    t.controller.pair('sfs1.@@@');
    expect(t.view()).toMatchObject({
      screen: 'pairing',
      draft: 'sfs1.@@@',
      pairingError: "This pairing code is damaged or incomplete: copy it again from the sheet's add-on sidebar.",
    });
    expect(t.toMain).toEqual([{ type: 'ui-ready' }]);
  });

  test('a good pairing code is saved in the document and connects', () => {
    const t = setup();
    t.controller.onMainMessage(INIT);
    t.controller.pair(`  ${encodePairingCode(LINK)}\n`);
    expect(t.toMain[1]).toEqual({ type: 'link-save', link: LINK });
    expect(t.view()).toMatchObject({ screen: 'connected', link: LINK, draft: '', pairingError: undefined });
    expect(t.sockets.last.url).toBe(SOCKET_URL);
  });

  test('a new code for the same sheet resumes where the file stood; a code for another sheet starts afresh', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.goLive();
    t.controller.onMainMessage(t.applied(1));
    t.controller.pair(encodePairingCode({ ...LINK, token: 'newtokennewtokennewtokennewtoken' }));
    const same = t.sockets.last;
    same.open();
    expect(same.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 1 });
    t.controller.pair(encodePairingCode(OTHER));
    const other = t.sockets.last;
    other.open();
    expect(other.sentOf('hello')[0]!.since).toBeUndefined();
    expect(same.closedByClient).toEqual({ code: 1000, reason: 'stopped' });
    expect(t.view().lastApply).toBeUndefined();
  });

  test('a new code for the same sheet keeps the grid the window holds: the relay says it is current, and no snapshot is asked for', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.goLive();
    t.controller.onMainMessage(t.applied(1));
    t.controller.pair(encodePairingCode({ ...LINK, token: 'newtokennewtokennewtokennewtoken' }));
    const same = t.sockets.last;
    same.open();
    same.receive(t.channel.welcome('current'));
    expect(same.sentOf('resync')).toEqual([]);
    expect(t.view().connection?.to).toBe('live');
    expect(t.toMain.filter((m) => m.type === 'apply')).toHaveLength(1);
  });

  test('after pairing another sheet, the previous sheet’s apply finishing late is not reported to the new relay nor shown', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.goLive();
    expect(t.toMain.filter((m) => m.type === 'apply')).toHaveLength(1);
    t.controller.pair(encodePairingCode(OTHER));
    const otherChannel = new FakeChannel('epoch-2');
    otherChannel.patch([COLORS_TAB]);
    const other = t.sockets.last;
    other.open();
    other.receive(otherChannel.welcome('snapshot'));
    other.receive(otherChannel.snapshot());
    const applies = t.toMain.filter((m) => m.type === 'apply');
    expect(applies.map((m) => m.type === 'apply' && m.position)).toEqual([{ epoch: 'epoch-1', seq: 1 }, { epoch: 'epoch-2', seq: 1 }]);
    // The main thread finishes the first sheet's grid only now.
    const orphans = [{ variableId: 'VariableID:1:9', name: 'old/red', collectionId: 'VariableCollectionId:1:1', collectionName: 'Tokens' }];
    t.controller.onMainMessage(t.applied(1, { problems: [{ tab: 'Colors', cell: 'B3', severity: 'error', message: 'old sheet' }], orphans }));
    expect(other.sentOf('applied')).toEqual([]);
    expect(t.view()).toMatchObject({ lastApply: undefined, problems: [], orphans });
    // The new sheet's own answer is the one reported.
    t.controller.onMainMessage(t.applied(1, { position: { epoch: 'epoch-2', seq: 1 } }));
    expect(other.sentOf('applied')).toEqual([{ type: 'applied', seq: 1, errors: [], errorCount: 0, counts: { created: 2, updated: 0, unchanged: 0 }, at: t.clock.now() }]);
    expect(t.view().lastApply).toMatchObject({ seq: 1 });
  });

  test('the main thread’s applied result shows counts, problems, orphans and the edit-to-applied delay', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    const snapshotAt = t.channel.snapshot().at!;
    t.goLive();
    t.clock.advance(1500);
    const problems = [{ tab: 'Colors', cell: 'B3', severity: 'error' as const, message: 'bad' }];
    const orphans = [{ variableId: 'V:1', name: 'old', collectionId: 'C:1', collectionName: 'Colors' }];
    t.controller.onMainMessage(t.applied(1, { problems, orphans, at: snapshotAt }));
    expect(t.view()).toMatchObject({
      lastApply: { seq: 1, at: t.clock.now(), delayMs: t.clock.now() - snapshotAt, counts: { created: 2, updated: 0, unchanged: 0 }, durationMs: 9 },
      problems,
      orphans,
      title: 'Design tokens',
    });
  });

  test('pausing saves the setting and holds changes back; resuming applies the newest', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    const socket = t.goLive();
    t.controller.onMainMessage(t.applied(1));
    t.controller.setPaused(true);
    expect(t.toMain[t.toMain.length - 1]).toEqual({ type: 'settings', settings: { paused: true, review: false } });
    socket.receive(t.channel.edit(0, 'Colors', 2, 2, '#000001'));
    socket.receive(t.channel.edit(0, 'Colors', 2, 2, '#000002'));
    expect(t.toMain.filter((m) => m.type === 'apply')).toHaveLength(1);
    expect(t.view().unapplied).toBe(true);
    expect(describeStatus(t.view().connection, LINK.relayUrl, t.view().settings.paused, t.view().now).label).toBe('Paused');
    t.controller.setPaused(false);
    const appliesNow = t.toMain.filter((m) => m.type === 'apply');
    expect(appliesNow).toHaveLength(2);
    expect(appliesNow[1]).toMatchObject({ position: { epoch: 'epoch-1', seq: 3 }, gridText: gridText(t.channel.grid.tabs) });
  });

  test('init that says paused holds back the first apply too', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK, settings: { paused: true, review: false } });
    t.goLive();
    expect(t.toMain.filter((m) => m.type === 'apply')).toEqual([]);
    expect(t.view().unapplied).toBe(true);
  });

  test('review mode: pending changes show until discarded; approving asks the main thread to apply them', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.goLive();
    t.controller.setReview(true);
    expect(t.toMain[t.toMain.length - 1]).toEqual({ type: 'settings', settings: { paused: false, review: true } });
    const summary = { total: 2, byOp: { createVariable: 2 }, lines: ['color/bg: new', 'color/fg: new'] };
    t.controller.onMainMessage({ type: 'pending', position: { epoch: 'epoch-1', seq: 1 }, summary });
    expect(t.view().pending).toEqual({ position: { epoch: 'epoch-1', seq: 1 }, summary });
    t.controller.approvePending();
    expect(t.toMain[t.toMain.length - 1]).toEqual({ type: 'approve-pending' });
    t.controller.discardPending();
    expect(t.toMain[t.toMain.length - 1]).toEqual({ type: 'discard-pending' });
    expect(t.view().pending).toBeUndefined();
  });

  test('approve and discard do nothing without pending changes', () => {
    const t = setup();
    t.controller.onMainMessage(INIT);
    t.controller.approvePending();
    t.controller.discardPending();
    expect(t.toMain).toEqual([{ type: 'ui-ready' }]);
  });

  test('removing orphans asks once and waits for the main thread’s answer', () => {
    const t = setup();
    const orphans = [
      { variableId: 'V:1', name: 'old', collectionId: 'C:1', collectionName: 'Colors' },
      { variableId: 'V:2', name: 'older', collectionId: 'C:1', collectionName: 'Colors' },
    ];
    t.controller.onMainMessage({ ...INIT, orphans });
    t.controller.removeOrphans(['V:1']);
    t.controller.removeOrphans(['V:2']);
    expect(t.toMain.filter((m) => m.type === 'remove-orphans')).toEqual([{ type: 'remove-orphans', variableIds: ['V:1'] }]);
    expect(t.view().removing).toBe(true);
    t.controller.onMainMessage({ type: 'orphans-removed', removed: 1, orphans: [orphans[1]!] });
    expect(t.view()).toMatchObject({ removing: false, orphans: [orphans[1]] });
  });

  test('an error from the main thread is shown until the next successful apply', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    const socket = t.goLive();
    t.controller.onMainMessage({ type: 'progress', position: { epoch: 'epoch-1', seq: 1 }, done: 10, total: 40 });
    expect(t.view().progress).toEqual({ done: 10, total: 40 });
    t.controller.onMainMessage({ type: 'error', message: 'in setValueForMode: boom' });
    expect(t.view()).toMatchObject({ mainError: 'in setValueForMode: boom', progress: undefined });
    // The next change goes to the main thread; its success clears the error.
    socket.receive(t.channel.edit(0, 'Colors', 2, 2, '#000001'));
    expect(t.toMain.filter((m) => m.type === 'apply').map((m) => m.type === 'apply' && m.position.seq)).toEqual([1, 2]);
    t.controller.onMainMessage(t.applied(2));
    expect(t.view().mainError).toBeUndefined();
  });

  test('while waiting to reconnect the window redraws each second so the countdown moves', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.goLive().closeFromRelay(1006);
    t.clock.advance(1000);
    t.sockets.last.closeFromRelay(1006); // the second attempt in a row waits 1.5 s with random = 1
    const labels = () => describeStatus(t.view().connection, LINK.relayUrl, false, t.view().now).label;
    expect(labels()).toBe('Reconnecting in 2 s');
    t.clock.advance(500);
    expect(labels()).toBe('Reconnecting in 1 s');
    t.clock.advance(1000);
    expect(labels()).toBe('Reconnecting…');
    expect(t.view().connection!.to).toBe('connecting');
  });

  test('retry now and try again reach the connection', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.sockets.last.closeFromRelay(1006);
    t.controller.retryNow();
    expect(t.sockets.all).toHaveLength(2);
    t.sockets.last.open();
    t.sockets.last.closeFromRelay(4401);
    expect(t.view().connection!.to).toBe('stopped');
    t.controller.tryAgain();
    expect(t.sockets.all).toHaveLength(3);
  });

  test('unlink closes the socket, clears the link in the document and returns to pairing', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    const socket = t.goLive();
    t.controller.unlink();
    expect(socket.closedByClient).toEqual({ code: 1000, reason: 'stopped' });
    expect(t.toMain[t.toMain.length - 1]).toEqual({ type: 'link-clear' });
    expect(t.view()).toMatchObject({ screen: 'pairing', fileName: 'Tokens.fig' });
    expect([t.view().link, t.view().connection, t.view().lastApply]).toEqual([undefined, undefined, undefined]);
    expect(t.clock.pending).toBe(0);
  });
});

describe('a window opened again with the grid the main thread cached', () => {
  /** The channel's grid at seq 1 as the main thread cached it, then `missed` more edits on the sheet. */
  function reopened(missed: number) {
    const t = setup();
    const cached: CachedGrid = { position: { epoch: 'epoch-1', seq: 1 }, hash: gridHash(t.channel.grid), grid: structuredClone(t.channel.grid) };
    const patches = Array.from({ length: missed }, (_, i) => t.channel.edit(0, 'Colors', 2 + (i % 2), 2, `#0000${String(i).padStart(2, '0')}`));
    return { ...t, cached, patches };
  }
  const applies = (toMain: UiToMain[]) => toMain.filter((m): m is Extract<UiToMain, { type: 'apply' }> => m.type === 'apply');

  test('the hello carries the cached position, the missed patches apply on top, and one apply goes to the main thread', () => {
    const t = reopened(3);
    t.controller.onMainMessage({ ...INIT, link: LINK, position: { epoch: 'epoch-1', seq: 1 }, cached: t.cached });
    const socket = t.sockets.last;
    socket.open();
    expect(socket.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 1 });
    socket.receive(t.channel.welcome('patches'));
    for (const patch of t.patches) socket.receive(patch);
    expect(t.view().connection).toMatchObject({ to: 'live', cause: { kind: 'caught-up' } });
    expect(socket.sentOf('resync')).toEqual([]);
    const last = t.patches[2]!;
    expect(applies(t.toMain)).toEqual([
      { type: 'apply', position: { epoch: 'epoch-1', seq: 4 }, gridText: gridText(t.channel.grid.tabs), hash: last.hash, at: last.at, title: 'Design tokens' },
    ]);
  });

  test('when a collaborator applied further than the cache, the hello still carries the cached position and the patches bring the grid to the relay’s', () => {
    const t = reopened(3);
    t.controller.onMainMessage({ ...INIT, link: LINK, position: { epoch: 'epoch-1', seq: 3 }, cached: t.cached });
    const socket = t.sockets.last;
    socket.open();
    expect(socket.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 1 });
    socket.receive(t.channel.welcome('patches'));
    for (const patch of t.patches) socket.receive(patch);
    expect(applies(t.toMain)).toEqual([expect.objectContaining({ position: { epoch: 'epoch-1', seq: 4 }, gridText: gridText(t.channel.grid.tabs), hash: t.patches[2]!.hash })]);
  });

  test('a snapshot answer (history trimmed) replaces the cached grid and goes to the main thread marked as a snapshot', () => {
    const t = reopened(5);
    t.controller.onMainMessage({ ...INIT, link: LINK, position: { epoch: 'epoch-1', seq: 1 }, cached: t.cached });
    const socket = t.sockets.last;
    socket.open();
    socket.receive(t.channel.welcome('snapshot'));
    const snapshot = t.channel.snapshot();
    socket.receive(snapshot);
    expect(socket.sentOf('resync')).toEqual([]);
    expect(applies(t.toMain)).toEqual([
      { type: 'apply', position: { epoch: 'epoch-1', seq: 6 }, gridText: gridText(t.channel.grid.tabs), hash: snapshot.hash, snapshot: true, at: snapshot.at, title: 'Design tokens' },
    ]);
  });

  test('current at the cached position the file applied: nothing is applied, and the next live patch applies on top without a snapshot', () => {
    const t = reopened(0);
    t.controller.onMainMessage({ ...INIT, link: LINK, position: { epoch: 'epoch-1', seq: 1 }, cached: t.cached });
    const socket = t.sockets.last;
    socket.open();
    socket.receive(t.channel.welcome('current'));
    expect(t.view().connection).toMatchObject({ to: 'live' });
    expect(applies(t.toMain)).toEqual([]);
    const patch = t.channel.edit(0, 'Colors', 2, 2, '#abcdef');
    socket.receive(patch);
    expect(socket.sentOf('resync')).toEqual([]);
    expect(applies(t.toMain)).toEqual([{ type: 'apply', position: { epoch: 'epoch-1', seq: 2 }, gridText: gridText(t.channel.grid.tabs), hash: patch.hash, at: patch.at, title: 'Design tokens' }]);
  });

  test('current at a cached position the file did not apply (the file went back, e.g. an undo): the cached grid is applied once', () => {
    const t = reopened(0);
    t.controller.onMainMessage({ ...INIT, link: LINK, position: { epoch: 'epoch-1', seq: 0 }, cached: t.cached });
    const socket = t.sockets.last;
    socket.open();
    expect(socket.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 1 });
    socket.receive(t.channel.welcome('current'));
    expect(applies(t.toMain)).toEqual([{ type: 'apply', position: { epoch: 'epoch-1', seq: 1 }, gridText: gridText(t.cached.grid.tabs), hash: t.cached.hash, title: 'Design tokens' }]);
  });

  test('a cached grid that does not hash to its stored hash is not used: the hello carries the file’s position, as without a cache', () => {
    const t = reopened(2);
    const damaged: CachedGrid = { ...t.cached, grid: { tabs: [{ tabId: 0, name: 'Colors', rows: [['Name', 'Light'], ['color/bg', '#bad']] }] } };
    t.controller.onMainMessage({ ...INIT, link: LINK, position: { epoch: 'epoch-1', seq: 2 }, cached: damaged });
    const socket = t.sockets.last;
    socket.open();
    expect(socket.sentOf('hello')[0]!.since).toEqual({ epoch: 'epoch-1', seq: 2 });
    socket.receive(t.channel.welcome('patches'));
    // Without a grid in hand the window asks for a snapshot, as it always did.
    expect(socket.sentOf('resync')).toEqual([{ type: 'resync' }]);
  });
});

describe('drift the main thread found', () => {
  const summary = { total: 1, byOp: { setValue: 1 }, lines: ['color/bg (Light): #ff0000 → #ffffff'] };

  test('drift put back is shown until closed; drift under review is approved or left, and an apply settles it', () => {
    const t = setup();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    t.controller.onMainMessage({ type: 'drift', state: 'reset', summary, problems: [], orphans: [] });
    expect(t.view().drift).toEqual({ state: 'reset', summary, problems: [] });
    t.controller.approveDrift();
    expect(t.toMain.filter((m) => m.type === 'approve-drift')).toEqual([]);
    t.controller.closeDrift();
    expect(t.view().drift).toBeUndefined();

    t.controller.onMainMessage({ type: 'drift', state: 'review', summary, problems: [], orphans: [] });
    t.controller.closeDrift();
    expect(t.view().drift?.state).toBe('review');
    t.controller.approveDrift();
    expect(t.toMain.at(-1)).toEqual({ type: 'approve-drift' });
    t.controller.dismissDrift();
    expect([t.toMain.at(-1), t.view().drift]).toEqual([{ type: 'dismiss-drift' }, undefined]);

    t.controller.onMainMessage({ type: 'drift', state: 'noticed', summary, problems: [], orphans: [] });
    t.goLive();
    t.controller.onMainMessage(t.applied(1));
    expect(t.view().drift).toBeUndefined();
  });

  test('"none" clears what was shown', () => {
    const t = setup();
    t.controller.onMainMessage({ type: 'drift', state: 'noticed', summary, problems: [], orphans: [] });
    t.controller.onMainMessage({ type: 'drift', state: 'none', summary: { total: 0, byOp: {}, lines: [] }, problems: [], orphans: [] });
    expect(t.view().drift).toBeUndefined();
  });
});

describe('a file whose pairing code this plugin id cannot read', () => {
  test('the pairing screen names the sheet it was linked to', () => {
    const t = setup();
    const linkHint = { relayUrl: LINK.relayUrl, channelId: LINK.channelId, title: 'Brand tokens' };
    t.controller.onMainMessage({ ...INIT, linkHint });
    expect(t.view()).toMatchObject({ screen: 'pairing', linkHint });
  });
});

describe('Diagnostics', () => {
  const ABOUT = { version: '9.9.9', networkAccess: { allowedDomains: ['https://relay.example.com', 'wss://relay.example.com'], devAllowedDomains: ['ws://localhost:*'] }, userAgent: 'TestAgent/1' };

  function setupWithAbout() {
    const clock = new FakeClock();
    const sockets = new FakeSockets();
    const toMain: UiToMain[] = [];
    const views: ViewState[] = [];
    const controller = new Controller({ toMain: (m) => toMain.push(m), openSocket: sockets.open, clock, render: (v) => views.push(structuredClone(v)), sessionId: 'window-1', random: () => 1, about: ABOUT });
    controller.start();
    return { clock, sockets, toMain, controller, view: () => views[views.length - 1]! };
  }

  const MAIN_STEPS = [{ id: 'variables', title: 'Variables readable', result: 'ok' as const, ms: 3, detail: '2 collections…' }];

  test('runs the window’s steps on a socket of its own and asks the main thread for its steps; the report joins them and holds no token', async () => {
    const t = setupWithAbout();
    t.controller.onMainMessage({ ...INIT, link: LINK });
    const live = t.sockets.last;
    t.controller.openDiagnostics();
    expect(t.toMain.at(-1)).toEqual({ type: 'diagnose' });
    expect(t.view().diagnostics).toEqual({ running: true, steps: [] });
    const probe = t.sockets.last;
    expect(probe).not.toBe(live);
    probe.open();
    expect(probe.sentOf('hello')[0]).toMatchObject({ token: LINK.token, client: { name: 'Diagnostics', session: 'window-1-diagnostics' } });
    probe.receive({ type: 'welcome', v: 2, channelId: LINK.channelId, epoch: 'e', seq: 3, recovery: 'current' });
    await Promise.resolve();
    expect(t.view().diagnostics!.steps.map((s) => [s.id, s.result])).toEqual([['manifest', 'ok'], ['socket', 'ok'], ['token', 'ok']]);
    expect(t.view().diagnostics!.steps[0]!.detail).toBe('wss://relay.example.com is allowed by the allowedDomains entry "wss://relay.example.com".');
    t.controller.onMainMessage({ type: 'diagnosis', steps: MAIN_STEPS, facts: { 'Figma plugin API': '1.0.0' } });
    const d = t.view().diagnostics!;
    expect(d.running).toBe(false);
    expect(d.report!.split('\n').slice(0, 2)).toEqual(['Sheets Live Variables: diagnostics', 'product 9.9.9 · protocol v2 · Figma plugin API 1.0.0']);
    expect(d.report).toContain('relay: relay.example.com · channel channe… (the pairing code\'s token is never included)');
    expect(d.report).toContain('[ok] Variables readable (3 ms): 2 collections…');
    expect(d.report).not.toContain(LINK.token);
    t.controller.closeDiagnostics();
    expect(t.view().diagnostics).toBeUndefined();
  });

  test('a relay the manifest does not list fails the manifest step with the fix, before any socket', async () => {
    const t = setupWithAbout();
    t.controller.onMainMessage({ ...INIT, link: { ...LINK, relayUrl: 'https://other.example.org' } });
    t.controller.openDiagnostics();
    t.sockets.last.blockByPolicy();
    await Promise.resolve();
    expect(t.view().diagnostics!.steps[0]).toMatchObject({
      id: 'manifest',
      result: 'failed',
      detail: "No entry of the manifest's networkAccess allows wss://other.example.org, so Figma blocks it. Rebuild the plugin with RELAY_URL=https://other.example.org.",
    });
  });

  test('without a link, the window’s steps are skipped and the main thread’s still run', () => {
    const t = setupWithAbout();
    t.controller.onMainMessage(INIT);
    t.controller.openDiagnostics();
    expect(t.sockets.all).toEqual([]);
    t.controller.onMainMessage({ type: 'diagnosis', steps: MAIN_STEPS, facts: {} });
    const d = t.view().diagnostics!;
    expect(d.steps.map((s) => s.result)).toEqual(['skipped', 'skipped', 'skipped', 'ok']);
    expect(d.report).toContain('relay: none (this file is not linked to a sheet)');
  });
});
