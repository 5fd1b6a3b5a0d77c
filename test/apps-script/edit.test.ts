// Edits reach the relay as patches: one request for a cell, one request for a large paste,
// nothing for tabs that do not sync, and a 409 healed by a snapshot in the same execution.

import { connectedWorld, EDITOR, expectedGrid, mirrorOf, OWNER, sentChange, sidebarState } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';

describe('edits in synced tabs', () => {
  const h = useHarness();

  it('a single-cell edit posts one patch of that cell, under 2 KB, and the relay holds what the sheet holds', async () => {
    const { world, mirror } = await connectedWorld(h);
    expect(world.edit(OWNER, 'Colors', 'B2', [['#ff0000']])).toEqual([]);
    expect(world.fetches.map((f) => [f.method, f.url.replace(h.gate.url, ''), f.status])).toEqual([['post', `/v2/channels/${mirror.channelId}/changes`, 200]]);
    const patch = sentChange(world, 0);
    expect(patch.tabs).toEqual([{ tabId: 0, name: 'Colors', ranges: [{ row: 2, col: 2, values: [['#ff0000']] }] }]);
    expect(world.fetches[0]!.requestBytes).toBeLessThan(2048);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  // UrlFetchApp's reference is silent on whether a Content-Encoding header set by the script reaches
  // the server; the fake models both, and large bodies must arrive either way.
  it.each(['passed', 'dropped'] as const)('a paste of 10,000 cells goes in one request the relay takes, signed over its exact bytes (a hand-set Content-Encoding %s)', async (encoding) => {
    const { world, mirror } = await connectedWorld(h);
    world.urlFetchContentEncoding = encoding;
    const values = Array.from({ length: 1000 }, (_, r) => Array.from({ length: 10 }, (_, c) => (c === 0 ? `color/pasted/${r}` : `#${((r * 10 + c) * 4099 % 0xffffff).toString(16).padStart(6, '0')}`)));
    world.edit(OWNER, 'Colors', 'A4', values);
    expect(world.fetches).toHaveLength(1);
    const fetch = world.fetches[0]!;
    expect(fetch.status).toBe(200);
    expect(sentChange(world, 0).tabs).toEqual([{ tabId: 0, name: 'Colors', ranges: [{ row: 4, col: 1, values }] }]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it.each(['passed', 'dropped'] as const)('a connect snapshot over 4 KB arrives (a hand-set Content-Encoding %s)', async (encoding) => {
    const world = h.world();
    world.urlFetchContentEncoding = encoding;
    const rows = Array.from({ length: 300 }, (_, r) => [`color/many/${r}`, `#${(r * 40503).toString(16).padStart(6, '0').slice(-6)}`]);
    world.spreadsheet.tab('Colors').ensureSize(301, 2);
    world.spreadsheet.tab('Colors').getRange(2, 1, 300, 2).setValues(rows);
    const state = world.run(OWNER, 'connect', [h.gate.url]) as { status: { kind: string }; pairingCode: string };
    expect(world.fetches.map((f) => [f.method, f.status])).toEqual([
      ['put', 201],
      ['post', 200],
    ]);
    expect(Buffer.byteLength(world.fetches[1]!.bodyText)).toBeGreaterThan(4096);
    expect(state.status.kind).toBe('live');
    const mirror = await mirrorOf(h, state.pairingCode);
    await mirror.until(1);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('an edit on a tab that does not sync costs no request and no lock', async () => {
    const { world } = await connectedWorld(h);
    world.edit(OWNER, 'Notes', 'B2', [['scribble']]);
    expect([world.fetches.length, world.callCount('DocumentLock.tryLock'), world.callCount('Range.getValues')]).toEqual([0, 0, 0]);
  });

  it('typing Name into row 1 of another tab makes it sync, with a snapshot', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.edit(OWNER, 'Notes', 'A1', [['Name']]);
    expect(world.fetches.map((f) => [sentChange(world, 0).kind, f.status])).toEqual([['snapshot', 200]]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Notes', 'Sizes']));
  });

  it('a formula whose value changed without an edit is healed: the next edit gets a 409 and a snapshot follows in the same execution', async () => {
    let rate = 2;
    const { world, mirror } = await connectedWorld(h, (w) => w.spreadsheet.tab('Sizes').setFormula(3, 2, () => 4 * rate));
    rate = 3; // e.g. a GOOGLEFINANCE or IMPORTRANGE result moved: no edit event
    world.edit(OWNER, 'Colors', 'B3', [['#000000']]);
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([
      ['patch', 409],
      ['snapshot', 200],
    ]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    expect(sidebarState(world).status.kind).toBe('live');
  });

  it('two users’ triggers firing for one edit post it once: the second finds the relay already took this sheet state', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.run(EDITOR, 'connect', [h.gate.url]);
    await mirror.until(2); // the second Connect re-claims the same channel and sends a snapshot
    world.resetCounters();
    expect(world.edit(EDITOR, 'Sizes', 'B2', [[16]])).toEqual([]);
    expect(world.executions.slice(-4).map((e) => [e.user, e.functionName, e.error ?? 'ok'])).toEqual([
      [OWNER, 'handleEdit', 'ok'],
      [EDITOR, 'handleEdit', 'ok'],
      [OWNER, 'handleChange', 'ok'],
      [EDITOR, 'handleChange', 'ok'],
    ]);
    expect(world.fetches.map((f) => [f.method, f.url.replace(h.gate.url, ''), f.status])).toEqual([['post', `/v2/channels/${mirror.channelId}/changes`, 200]]);
    expect(sentChange(world, 0).tabs).toEqual([{ tabId: world.spreadsheet.tab('Sizes').id, name: 'Sizes', ranges: [{ row: 2, col: 2, values: [[16]] }] }]);
    await mirror.until(3);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
    expect(world.executions.every((e) => !e.leftLockHeld)).toBe(true);
  });

  it('sends dates as ISO strings', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.edit(OWNER, 'Sizes', 'B2', [[new Date(Date.UTC(2025, 2, 4, 5, 6, 7))]]);
    expect(sentChange(world, 0).tabs).toEqual([{ tabId: world.spreadsheet.tab('Sizes').id, name: 'Sizes', ranges: [{ row: 2, col: 2, values: [['2025-03-04T05:06:07.000Z']] }] }]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('clearing the last row across all columns sends only the cells that can hold something', async () => {
    const { world, mirror } = await connectedWorld(h);
    world.spreadsheet.tab('Colors').getRange(3, 1, 1, 26).clearContent();
    world.fireEdit(world.spreadsheet.tab('Colors'), 3, 1, 1, 26);
    expect(sentChange(world, 0).tabs).toEqual([{ tabId: 0, name: 'Colors', ranges: [{ row: 3, col: 1, values: [['', '']] }] }]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });
});
