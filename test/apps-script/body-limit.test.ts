// A relay with a small body limit: a patch over it is replaced by a snapshot that fits, and a
// sheet too large for the relay at all stops with the relay's reason instead of retrying forever.

import { connectedWorld, expectedGrid, OWNER, sentChange, sidebarState } from '../fakes/apps-script/harness';
import { useHarness } from '../fakes/apps-script/use-harness';

const LIMIT = 64 * 1024;

describe('a relay with a 64 KB body limit', () => {
  const h = useHarness({ MAX_BODY_BYTES: String(LIMIT) });

  it('replaces a patch over the limit by a snapshot that fits (splitting only where the limit demands)', async () => {
    // A note in C2 that the clear removes: an edit that changes nothing would send nothing.
    const { world, mirror } = await connectedWorld(h, (w) => w.spreadsheet.tab('Colors').getRange(2, 3, 1, 1).setValue('note'));
    // Without the relay's last extent the add-on cannot clip a cleared area: the patch is large, the grid small.
    world.documentProperties.data.delete('sfs.extents');
    world.spreadsheet.tab('Colors').getRange(1, 3, 1000, 24).clearContent();
    world.fireEdit(world.spreadsheet.tab('Colors'), 1, 3, 1000, 24);
    expect(world.fetches.map((f, i) => [sentChange(world, i).kind, f.status])).toEqual([
      ['patch', 413],
      ['snapshot', 200],
    ]);
    await mirror.until(2);
    expect(mirror.grid).toEqual(expectedGrid(world, ['Colors', 'Sizes']));
  });

  it('stops with the relay’s reason when the sheet itself is larger than the relay keeps, and posts no more', async () => {
    const { world } = await connectedWorld(h);
    const rows = Array.from({ length: 2500 }, (_, r) => [`color/big/${r}`, `#${(r * 7919).toString(16).padStart(6, '0').slice(-6)}`, 'a description that makes the row longer']);
    world.edit(OWNER, 'Colors', 'A4', rows);
    const state = sidebarState(world);
    expect([state.status.kind, state.status.code]).toEqual(['error', 'BODY_TOO_LARGE']);
    expect(state.status.text).toContain(`${LIMIT} bytes`);
    const requests = world.fetches.length;
    expect(requests).toBeLessThan(40);
    world.edit(OWNER, 'Colors', 'B2', [['#ffffff']]);
    world.hourly();
    expect(world.fetches.length).toBe(requests);
  });
});
