// The grid this plugin window holds: when it goes to the main thread, pause and resume, and what
// goes back to the relay after the main thread applied it.

import { GridSession } from '../../../figma-plugin/ui/grid-session';
import { gridHash } from '../../../shared/protocol/canonical-hash';
import { gridText } from '../../../shared/protocol/grid-text';
import { appliedReport, MAX_APPLIED_REPORT_BYTES } from '../../../shared/protocol/applied-report';
import { LIMITS } from '../../../shared/protocol/limits';
import type { MainToUi, UiToMain } from '../../../shared/plan/plugin-messages';
import { parseClientMessage, type AppliedMessage, type Problem } from '../../../shared/protocol/messages';
import { utf8Length } from '../../../shared/protocol/utf8';
import { COLORS_TAB, FakeChannel } from './fake-channel';

const NOW = 1_700_000_123_456;

function setup(options: { paused?: boolean } = {}) {
  const toMain: UiToMain[] = [];
  const toRelay: AppliedMessage[] = [];
  const session = new GridSession({ toMain: (m) => toMain.push(m), toRelay: (m) => toRelay.push(m), now: () => NOW, paused: options.paused ?? false });
  const channel = new FakeChannel();
  channel.patch([COLORS_TAB]);
  expect(session.replace(channel.snapshot())).toBe(true);
  return { session, channel, toMain, toRelay };
}

const applied = (seq: number, problems: Problem[] = [], epoch = 'epoch-1'): MainToUi => ({
  type: 'applied',
  position: { epoch, seq },
  counts: { created: 1, updated: 2, unchanged: 3 },
  problems,
  orphans: [],
  durationMs: 4,
});

describe('GridSession', () => {
  test('nothing goes to the main thread until the connection says the grid settled', () => {
    const { session, toMain, channel } = setup();
    expect(toMain).toEqual([]);
    session.settle();
    expect(toMain).toEqual([
      { type: 'apply', position: { epoch: 'epoch-1', seq: 1 }, gridText: gridText(channel.grid.tabs), hash: gridHash(channel.grid), snapshot: true, at: expect.any(Number), title: 'Design tokens' },
    ]);
  });

  test('while the main thread applies, newer changes wait; its answer releases only the newest grid', () => {
    const { session, toMain, channel } = setup();
    session.settle();
    session.apply(channel.edit(0, 'Colors', 2, 2, '#000001'));
    session.settle();
    session.apply(channel.edit(0, 'Colors', 2, 2, '#000002'));
    session.settle();
    expect(toMain).toHaveLength(1);
    session.onMainMessage(applied(1));
    expect(toMain).toHaveLength(2);
    expect(toMain[1]).toMatchObject({ type: 'apply', position: { epoch: 'epoch-1', seq: 3 }, gridText: gridText(channel.grid.tabs) });
  });

  test('paused, changes keep arriving but none is applied; resuming applies the newest state once', () => {
    const { session, toMain, channel } = setup({ paused: true });
    session.settle();
    for (let i = 0; i < 5; i++) {
      session.apply(channel.edit(0, 'Colors', 2, 2, `#00000${i}`));
      expect(session.verify()).toBe(true);
      session.settle();
    }
    expect(toMain).toEqual([]);
    expect(session.hasUnapplied).toBe(true);
    session.setPaused(false);
    // Nothing went out since the snapshot, so the apply still says a snapshot is in it.
    expect(toMain).toEqual([
      { type: 'apply', position: { epoch: 'epoch-1', seq: 6 }, gridText: gridText(channel.grid.tabs), hash: gridHash(channel.grid), snapshot: true, at: expect.any(Number), title: 'Design tokens' },
    ]);
    expect(session.hasUnapplied).toBe(false);
  });

  test('pausing while an apply is under way holds back the next one', () => {
    const { session, toMain, channel } = setup();
    session.settle();
    session.setPaused(true);
    session.apply(channel.edit(0, 'Colors', 2, 2, '#000009'));
    session.settle();
    session.onMainMessage(applied(1));
    expect(toMain).toHaveLength(1);
  });

  test('the main thread’s result goes to the relay as applied {seq, errors, errorCount, counts, at}', () => {
    const { session, toRelay } = setup();
    session.settle();
    const problems: Problem[] = [
      { tab: 'Colors', cell: 'B3', severity: 'error', message: '"#12" is not a colour', code: 'BAD_COLOR' },
      { tab: 'Colors', cell: 'A4', severity: 'warning', message: 'duplicate name' },
    ];
    session.onMainMessage(applied(1, problems));
    expect(toRelay).toEqual([{ type: 'applied', seq: 1, errors: problems, errorCount: 2, counts: { created: 1, updated: 2, unchanged: 3 }, at: NOW }]);
    expect(session.applied).toEqual({ epoch: 'epoch-1', seq: 1 });
  });

  test('only the first maxReportedErrors problems are listed; errorCount counts them all', () => {
    const { session, toRelay } = setup();
    session.settle();
    const problems: Problem[] = Array.from({ length: LIMITS.maxReportedErrors + 7 }, (_, i) => ({ tab: 'Colors', cell: `B${i + 2}`, severity: 'error', message: 'bad' }));
    session.onMainMessage(applied(1, problems));
    expect(toRelay[0]!.errors).toEqual(problems.slice(0, LIMITS.maxReportedErrors));
    expect(toRelay[0]!.errorCount).toBe(LIMITS.maxReportedErrors + 7);
  });

  test('a report too big for one client message lists only the problems that fit under the relay’s limit and counts them all', () => {
    const { session, toRelay } = setup();
    session.settle();
    // 700 rows of long non-ASCII names and messages: ~300 KB if all listed problems were sent.
    const tab = 'Цвета и токены дизайна '.repeat(4);
    const problems: Problem[] = Array.from({ length: 700 }, (_, i) => ({
      tab,
      cell: `B${i + 2}`,
      severity: 'error',
      message: `Значение «${'очень длинное '.repeat(12)}» в строке ${i + 2} не является цветом`,
      code: 'BAD_COLOR',
    }));
    const unbounded = { type: 'applied', seq: 1, errors: problems.slice(0, LIMITS.maxReportedErrors), errorCount: 700, counts: { created: 1, updated: 2, unchanged: 3 }, at: NOW };
    expect(utf8Length(JSON.stringify(unbounded))).toBeGreaterThan(LIMITS.maxClientMessageBytes);
    session.onMainMessage(applied(1, problems));
    expect(toRelay).toHaveLength(1);
    const report = toRelay[0]!;
    const bytes = utf8Length(JSON.stringify(report));
    expect(bytes).toBeLessThanOrEqual(MAX_APPLIED_REPORT_BYTES);
    expect(MAX_APPLIED_REPORT_BYTES).toBeLessThan(LIMITS.maxClientMessageBytes);
    // As many as fit: one more problem would not.
    const listed = report.errors.length;
    expect(listed).toBeGreaterThan(0);
    expect(report).toEqual({ type: 'applied', seq: 1, errors: problems.slice(0, listed), errorCount: 700, counts: { created: 1, updated: 2, unchanged: 3 }, at: NOW });
    expect(utf8Length(JSON.stringify({ ...report, errors: problems.slice(0, listed + 1) }))).toBeGreaterThan(MAX_APPLIED_REPORT_BYTES);
    // What goes out is a message the relay's own schema accepts.
    expect(parseClientMessage(JSON.parse(JSON.stringify(report)))).toEqual({ ok: true, value: report });
  });

  test('appliedReport counts bytes exactly: a budget of the report’s own size keeps every problem, one byte less drops the last', () => {
    const problems: Problem[] = [
      { tab: 'Ёлка', cell: 'A1', severity: 'error', message: 'первая 🎄' },
      { tab: 'Ёлка', cell: 'A2', severity: 'warning', message: 'вторая' },
    ];
    const full = appliedReport({ seq: 4, problems, at: 9 });
    const size = utf8Length(JSON.stringify(full));
    expect(appliedReport({ seq: 4, problems, at: 9 }, size)).toEqual({ type: 'applied', seq: 4, errors: problems, errorCount: 2, at: 9 });
    expect(appliedReport({ seq: 4, problems, at: 9 }, size - 1)).toEqual({ type: 'applied', seq: 4, errors: problems.slice(0, 1), errorCount: 2, at: 9 });
  });

  test('an applied answer for a position this session never sent (the previous channel’s, after a re-pairing) is ignored', () => {
    const { session, toMain, toRelay } = setup();
    session.reset();
    const channel = new FakeChannel('epoch-2');
    channel.patch([COLORS_TAB]);
    expect(session.replace(channel.snapshot())).toBe(true);
    session.settle();
    expect(toMain).toHaveLength(1);
    // The old channel's apply finishes now.
    expect(session.onMainMessage(applied(7, [], 'epoch-1'))).toBe(false);
    expect(toRelay).toEqual([]);
    expect(session.applied).toBeUndefined();
    // The new channel's apply is still in flight: a newer change waits for its answer.
    session.apply(channel.edit(0, 'Colors', 2, 2, '#000003'));
    session.settle();
    expect(toMain).toHaveLength(1);
    expect(session.onMainMessage(applied(1, [], 'epoch-2'))).toBe(true);
    expect(toRelay.map((r) => r.seq)).toEqual([1]);
    expect(session.applied).toEqual({ epoch: 'epoch-2', seq: 1 });
    expect(toMain).toHaveLength(2);
  });

  test('a pending answer for a position this session never sent does not free the apply in flight', () => {
    const { session, toMain, channel } = setup();
    session.settle();
    expect(session.onMainMessage({ type: 'pending', position: { epoch: 'epoch-0', seq: 1 }, summary: { total: 2, byOp: { createVariable: 2 }, lines: [] } })).toBe(false);
    session.apply(channel.edit(0, 'Colors', 2, 2, '#0000aa'));
    session.settle();
    expect(toMain).toHaveLength(1);
  });

  test('approving a change under review reports it to the relay even while a newer apply is in flight, and the newer one keeps the way', () => {
    const { session, toMain, toRelay, channel } = setup();
    session.settle();
    expect(session.onMainMessage({ type: 'pending', position: { epoch: 'epoch-1', seq: 1 }, summary: { total: 2, byOp: { createVariable: 2 }, lines: [] } })).toBe(true);
    session.apply(channel.edit(0, 'Colors', 2, 2, '#0000aa'));
    session.settle();
    expect(toMain).toHaveLength(2);
    // The designer approves the older change before the main thread answers the newer one.
    expect(session.onMainMessage(applied(1))).toBe(true);
    expect(toRelay.map((r) => r.seq)).toEqual([1]);
    session.apply(channel.edit(0, 'Colors', 2, 2, '#0000bb'));
    session.settle();
    expect(toMain).toHaveLength(2);
    expect(session.onMainMessage(applied(2))).toBe(true);
    expect(toMain).toHaveLength(3);
    expect(toMain[2]).toMatchObject({ position: { epoch: 'epoch-1', seq: 3 } });
  });

  test('a pending review frees the way: a newer grid replaces the change under review', () => {
    const { session, toMain, channel } = setup();
    session.settle();
    session.onMainMessage({ type: 'pending', position: { epoch: 'epoch-1', seq: 1 }, summary: { total: 2, byOp: { createVariable: 2 }, lines: [] } });
    session.apply(channel.edit(0, 'Colors', 2, 2, '#0000aa'));
    session.settle();
    expect(toMain).toHaveLength(2);
    expect(toMain[1]).toMatchObject({ position: { epoch: 'epoch-1', seq: 2 } });
  });

  test('an error from the main thread frees the way without sending the same grid again', () => {
    const { session, toMain } = setup();
    session.settle();
    session.onMainMessage({ type: 'error', message: 'boom' });
    expect(toMain).toHaveLength(1);
  });

  test('a snapshot that does not hash to its hash is refused and the grid is kept', () => {
    const { session, channel } = setup();
    const before = session.position;
    expect(session.replace({ ...channel.snapshot(), hash: '0'.repeat(64) })).toBe(false);
    expect(session.position).toBe(before);
  });

  test('a patch whose hash does not match forgets the grid; resuming falls back to the applied position', () => {
    const { session, channel } = setup();
    session.settle();
    session.onMainMessage(applied(1));
    session.apply({ ...channel.edit(0, 'Colors', 2, 2, '#0000bb'), hash: '1'.repeat(64) });
    expect(session.verify()).toBe(false);
    expect(session.position).toBeUndefined();
    expect(session.resumePosition()).toEqual({ epoch: 'epoch-1', seq: 1 });
    expect(session.hasUnapplied).toBe(false);
  });

  test('a cached grid is held at its position and resumed from; settled, it goes to the main thread only if the file applied another position', () => {
    const channel = new FakeChannel();
    channel.patch([COLORS_TAB]);
    const cached = { position: { epoch: 'epoch-1', seq: 1 }, hash: gridHash(channel.grid), grid: channel.grid };
    const sent: UiToMain[][] = [];
    for (const applied of [{ epoch: 'epoch-1', seq: 1 }, { epoch: 'epoch-1', seq: 7 }]) {
      const toMain: UiToMain[] = [];
      const session = new GridSession({ toMain: (m) => toMain.push(m), toRelay: () => undefined, now: () => NOW, applied });
      expect(session.seed(cached)).toBe(true);
      expect([session.position, session.resumePosition()]).toEqual([cached.position, cached.position]);
      session.settle();
      sent.push(toMain);
    }
    expect(sent).toEqual([[], [{ type: 'apply', position: cached.position, gridText: gridText(channel.grid.tabs), hash: cached.hash }]]);
  });

  test('a cached grid that does not hash to its hash is refused and the session resumes from the applied position', () => {
    const channel = new FakeChannel();
    channel.patch([COLORS_TAB]);
    const session = new GridSession({ toMain: () => undefined, toRelay: () => undefined, now: () => NOW, applied: { epoch: 'epoch-1', seq: 3 } });
    expect(session.seed({ position: { epoch: 'epoch-1', seq: 1 }, hash: '2'.repeat(64), grid: channel.grid })).toBe(false);
    expect([session.position, session.resumePosition(), session.hasUnapplied]).toEqual([undefined, { epoch: 'epoch-1', seq: 3 }, false]);
  });

  test('patching without a grid is a programming error', () => {
    const session = new GridSession({ toMain: () => undefined, toRelay: () => undefined, now: () => NOW });
    const channel = new FakeChannel();
    expect(() => session.apply(channel.patch([COLORS_TAB]))).toThrow(new Error('GridSession.apply: no grid to patch; the connection must ask for a snapshot first'));
  });

  test('reset forgets the grid, the title and any apply under way', () => {
    const { session, toMain } = setup();
    session.settle();
    session.reset();
    expect([session.position, session.resumePosition(), session.title, session.hasUnapplied]).toEqual([undefined, undefined, undefined, false]);
    session.settle();
    expect(toMain).toHaveLength(1);
  });
});
