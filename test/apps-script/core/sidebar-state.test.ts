import { buildSidebarState, statusOf, triggerBudget } from '../../../apps-script/core/sidebar-state';
import { disconnectedState, type DocState } from '../../../apps-script/core/doc-state';
import { collapse, emptyOutbox, enqueue } from '../../../apps-script/core/outbox';
import type { ChannelStatus } from '../../../shared/protocol/messages';

const connected = (over: Partial<DocState> = {}): DocState => ({
  ...disconnectedState(),
  channel: { channelId: 'c'.repeat(32), relayUrl: 'https://relay.example.com', connectedAt: 1 },
  secret: 'THE-SECRET-never-shown-0123456789abcdefghijk',
  ...over,
});

describe('the sidebar’s status line', () => {
  it('says "Not connected" before Connect', () => {
    expect(statusOf(disconnectedState())).toEqual({ kind: 'not-connected', text: 'Not connected', queued: 0 });
  });

  it('says "Live" when nothing waits', () => {
    expect(statusOf(connected())).toEqual({ kind: 'live', text: 'Live', queued: 0 });
  });

  it('counts queued changes and says why they wait', () => {
    const outbox = enqueue(enqueue(emptyOutbox(), '{"a":1}'), '{"a":2}');
    expect(statusOf(connected({ outbox, error: { code: 'RELAY_UNREACHABLE', message: 'down', at: 1, stop: false } }))).toEqual({
      kind: 'queued',
      text: 'Queued: 2 changes waiting for the relay (down)',
      queued: 2,
      code: 'RELAY_UNREACHABLE',
    });
  });

  it('calls a collapsed queue "a snapshot"', () => {
    expect(statusOf(connected({ outbox: collapse(emptyOutbox()) })).text).toBe('Queued: a snapshot waiting for the relay');
  });

  it('shows an error that stopped posting, with its code', () => {
    expect(statusOf(connected({ error: { code: 'UNKNOWN_CHANNEL', message: 'No channel…', at: 1, stop: true } }))).toEqual({ kind: 'error', text: 'No channel…', queued: 0, code: 'UNKNOWN_CHANNEL' });
  });

  it('puts re-authorization before everything else', () => {
    expect(statusOf(connected({ paused: true }), 'https://auth').kind).toBe('reauthorize');
  });

  it('does not show another user’s re-authorization as this user’s status', () => {
    expect(statusOf(connected({ paused: true, reauth: { someoneElse: 1 } })).kind).toBe('paused');
  });

  it('says paused when paused', () => {
    expect(statusOf(connected({ paused: true })).kind).toBe('paused');
  });
});

describe('the sidebar’s view model', () => {
  const status: ChannelStatus = {
    channelId: 'c'.repeat(32),
    epoch: 'e',
    seq: 9,
    hash: 'h',
    clients: [
      { id: 'a', name: 'Tokens.fig', connectedAt: 5, appliedSeq: 7, appliedAt: 6, errors: [{ tab: 'Colors', cell: 'B2', severity: 'error', message: 'bad' }], errorCount: 1 },
      { id: 'b', name: 'Tokens.fig', connectedAt: 6, appliedSeq: 9, errors: [{ tab: 'Colors', cell: 'B2', severity: 'error', message: 'bad' }], errorCount: 1 },
      { id: 'c', connectedAt: 8, errors: [], errorCount: 0 },
    ],
  };

  it('lists each Figma session with how far behind it is, and each Figma problem once', () => {
    const view = buildSidebarState({
      state: connected({ last: { at: 10, epoch: 'e', seq: 9, hash: 'h' } }),
      tabs: [{ tabId: 0, name: 'Colors', synced: true, hasNameHeader: true }],
      pairingCode: 'sfs1.code',
      triggersPresent: true,
      relay: { status },
      sheetProblems: [{ tab: 'Colors', cell: 'A3', severity: 'warning', message: 'no name' }],
    });
    expect(view).toEqual({
      connected: true,
      relayUrl: 'https://relay.example.com',
      pairingCode: 'sfs1.code',
      tabsMode: 'auto',
      tabs: [{ tabId: 0, name: 'Colors', synced: true, hasNameHeader: true }],
      status: { kind: 'live', text: 'Live', queued: 0 },
      lastPushAt: 10,
      othersNeedReauthorization: 0,
      seq: 9,
      triggersMissing: false,
      files: [
        { id: 'a', name: 'Tokens.fig', connectedAt: 5, appliedSeq: 7, appliedAt: 6, behind: 2, errorCount: 1 },
        { id: 'b', name: 'Tokens.fig', connectedAt: 6, appliedSeq: 9, behind: 0, errorCount: 1 },
        { id: 'c', name: 'Unnamed Figma file', connectedAt: 8, errorCount: 0 },
      ],
      problems: [
        { source: 'sheet', tab: 'Colors', cell: 'A3', severity: 'warning', message: 'no name' },
        { source: 'figma', file: 'Tokens.fig', tab: 'Colors', cell: 'B2', severity: 'error', message: 'bad' },
      ],
      problemCount: 2,
    });
  });

  it('never carries the secret', () => {
    const view = buildSidebarState({ state: connected(), tabs: [], triggersPresent: false, relay: { error: 'down' }, sheetProblems: [] });
    expect(JSON.stringify(view)).not.toContain('THE-SECRET');
    expect([view.triggersMissing, view.filesError, view.files]).toEqual([true, 'down', undefined]);
  });

  it('lists at most 200 problems and counts the rest', () => {
    const many = Array.from({ length: 250 }, (_, i) => ({ tab: 'T', cell: `A${i + 1}`, severity: 'error' as const, message: 'x' }));
    const view = buildSidebarState({ state: connected(), tabs: [], triggersPresent: true, sheetProblems: many });
    expect([view.problems.length, view.problemCount]).toEqual([200, 250]);
  });
});

describe('the trigger figures', () => {
  it('say nothing special for one connected person with room to spare', () => {
    expect(triggerBudget(3, 6, 1)).toEqual({ here: 3, total: 6, limit: 20, connectedUsers: 1 });
  });

  it('warn when another document could not be connected from this account (20 triggers per user per script)', () => {
    expect(triggerBudget(3, 18, 1).warning).toMatch(/^You have 18 of the 20 triggers .* connecting another document would fail/);
    expect(triggerBudget(3, 20, 1).warning).toMatch(/no other document can be connected from your account/);
  });

  it('warn when many people hold triggers in this document: each edit costs each of them trigger time', () => {
    expect(triggerBudget(3, 3, 3).warning).toMatch(/^3 people connected this document/);
    expect(triggerBudget(3, 3, 2).warning).toBeUndefined();
  });
});
