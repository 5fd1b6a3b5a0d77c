// The sidebar's Import, in the built add-on against a real relay: a Figma file's offer is listed,
// its tabs written (new ones inserted, an empty one filled, one with content only after the owner
// confirmed it), every cell kept as written whether Sheets stores strings as text or as typed, the
// tabs synced and sent, so a subscriber receives exactly the offer's tabs.

import type { ImportResult } from '../../apps-script/core/offer-import';
import type { SidebarState } from '../../apps-script/core/sidebar-state';
import { normalizeRows } from '../../shared/protocol/grid';
import type { Offer } from '../../shared/protocol/messages';
import { connectedWorld, OWNER, thrown } from '../fakes/apps-script/harness';
import type { AddonWorld } from '../fakes/apps-script/run-addon';
import { useHarness } from '../fakes/apps-script/use-harness';
import { offerFromFigma } from '../helpers/offer-from-figma';

/** A Figma file's variables as the plugin offers them; strings Sheets would read as other values on purpose. */
const OFFER: Offer = {
  id: 'o-import-1',
  file: { name: 'Design System.fig' },
  at: 1_717_000_000_000,
  collections: [
    {
      collectionId: 'VariableCollectionId:1:1',
      name: 'Primitives',
      modes: ['Value'],
      variables: 3,
      values: [
        ['Name', 'Value'],
        ['color/white', '#ffffff'],
        ['space/4', 16],
        ['flag/beta', true],
      ],
    },
    {
      collectionId: 'VariableCollectionId:1:2',
      name: 'Typography',
      modes: ['Desktop', 'Mobile'],
      variables: 3,
      values: [
        ['Name', 'Type', 'Desktop', 'Mobile'],
        ['font/weight', 'string', '400', '007'],
        ['font/case', 'string', 'TRUE', 'false'],
        ['font/ratio', 'string', '1/2', '=A1'],
      ],
    },
  ],
  problems: [{ tab: 'Typography', cell: '', severity: 'error', message: '"font.legacy" contains "."…', code: 'EXPORT_NAME_UNSUPPORTED' }],
};

const importOffer = (world: AddonWorld, confirm: string[] = []) => world.run(OWNER, 'importOffer', [OFFER.id, confirm]) as { result: ImportResult; state: SidebarState };

describe.each(['raw', 'as-typed'] as const)('Import (Sheets stores strings %s)', (stringInput) => {
  const h = useHarness();

  it('lists the offer, writes new tabs exactly, syncs them, and the relay holds them as offered', async () => {
    const { world, mirror, state } = await connectedWorld(h);
    world.spreadsheet.stringInput = stringInput;
    await offerFromFigma(h.relay.url, state.pairingCode!, OFFER);
    const refreshed = world.run(OWNER, 'refreshStatus') as SidebarState;
    expect(refreshed.offers).toEqual([{ id: OFFER.id, fileName: 'Design System.fig', collections: 2, variables: 6, at: OFFER.at, expiresAt: expect.any(Number) }]);

    const { result, state: after } = importOffer(world);
    expect(result).toEqual({
      offerId: OFFER.id,
      fileName: 'Design System.fig',
      problems: OFFER.problems,
      tabs: [
        { name: 'Primitives', tabId: expect.any(Number), rows: 3, how: 'inserted' },
        { name: 'Typography', tabId: expect.any(Number), rows: 3, how: 'inserted' },
      ],
      synced: true,
    });
    for (const c of OFFER.collections) expect(world.spreadsheet.tab(c.name).values()).toEqual(c.values);
    expect(after.tabs.filter((t) => t.synced).map((t) => t.name)).toEqual(['Colors', 'Sizes', 'Primitives', 'Typography']);
    await mirror.until(2);
    const byName = new Map(mirror.grid.tabs.map((t) => [t.name, t.rows]));
    for (const c of OFFER.collections) expect(byName.get(c.name)).toEqual(normalizeRows(c.values));
  });

  it('replaces a tab with content only once the owner confirms it, writing nothing before', async () => {
    const { world, state } = await connectedWorld(h, (w) => {
      w.spreadsheet.addSheet('Primitives').getRange(1, 1, 2, 2).setValues([
        ['Name', 'Value'],
        ['old/row', 1],
      ]);
      w.spreadsheet.addSheet('typography');
    });
    world.spreadsheet.stringInput = stringInput;
    await offerFromFigma(h.relay.url, state.pairingCode!, OFFER);
    const before = world.spreadsheet.sheets.map((s) => [s.name, s.values()]);
    const first = importOffer(world).result;
    expect(first.needsConfirmation).toEqual(['Primitives']);
    expect(first.tabs).toEqual([]);
    expect(world.spreadsheet.sheets.map((s) => [s.name, s.values()])).toEqual(before);

    const confirmed = importOffer(world, ['Primitives']).result;
    expect(confirmed.tabs.map((t) => [t.name, t.how])).toEqual([
      ['Primitives', 'replaced'],
      ['Typography', 'filled'],
    ]);
    expect(world.spreadsheet.tab('Primitives').values()).toEqual(OFFER.collections[0]!.values);
    // The empty tab of the same name ignoring case takes the collection's exact name: the sync adopts by name.
    expect(world.spreadsheet.tab('Typography').values()).toEqual(OFFER.collections[1]!.values);
  });
});

describe('Import, refused', () => {
  const h = useHarness();

  it('an offer the relay no longer holds is OFFER_NOT_FOUND, in the relay\'s words', async () => {
    const { world } = await connectedWorld(h);
    const error = thrown(() => world.run(OWNER, 'importOffer', ['o-gone', []]));
    expect(error.code).toBe('OFFER_NOT_FOUND');
  });

  it('an id that is not an offer id is refused before asking the relay', async () => {
    const { world } = await connectedWorld(h);
    expect(thrown(() => world.run(OWNER, 'importOffer', ['../status', []])).code).toBe('BAD_REQUEST');
  });
});
