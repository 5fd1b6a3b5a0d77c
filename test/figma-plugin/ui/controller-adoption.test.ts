// The plugin window's export and adoption, without a DOM: asking the main thread for the file's tabs,
// sending the offer to the relay in paced slices (and what the relay answers), the tabs as TSV and
// CSV, and adopting (or not) the collections the sheet's tabs name.

import { Controller } from '../../../figma-plugin/ui/controller';
import type { ViewState } from '../../../figma-plugin/ui/view-state';
import type { PairingLink } from '../../../shared/protocol/pairing-code';
import type { AdoptionView, MainToUi, UiToMain } from '../../../shared/plan/plugin-messages';
import type { Offer } from '../../../shared/protocol/messages';
import { COLORS_TAB, FakeChannel } from './fake-channel';
import { FakeClock } from './fake-clock';
import { FakeSockets } from './fake-socket';

const LINK: PairingLink = { relayUrl: 'https://relay.example.com', channelId: 'channel-0123456789ab', token: 'tokentokentokentokentokentoken' };
const INIT: MainToUi = { type: 'init', fileName: 'Tokens.fig', settings: { paused: false, review: false }, orphans: [] };

const OFFER: Offer = {
  id: 'o-abc',
  file: { name: 'Tokens.fig' },
  at: 1,
  collections: [
    {
      collectionId: 'VariableCollectionId:1:1',
      name: 'Colors',
      modes: ['Light', 'Dark'],
      variables: 2,
      values: [
        ['Name', 'Type', 'Light', 'Dark'],
        ['color/bg', '', '#ffffff', '#000000'],
        ['font/weight', 'string', '400', '700'],
      ],
    },
  ],
};

const exportMessage = (offer: Offer = OFFER): MainToUi => ({
  type: 'export',
  choices: offer.collections.map((c) => ({ collectionId: c.collectionId, name: c.name, variables: c.variables, selected: true })),
  collections: offer.collections.map((c) => ({ collectionId: c.collectionId, name: c.name, modes: c.modes, variables: c.variables })),
  problems: [],
  problemCount: 0,
  offerText: JSON.stringify(offer),
});

const ADOPTION: AdoptionView = {
  collectionId: 'VariableCollectionId:9:1',
  tab: 'Colors',
  adopted: 118,
  created: 4,
  valuesChanged: 7,
  detailsChanged: 0,
  figmaOnly: ['a', 'b'],
  figmaOnlyCount: 2,
  typeDiffers: 0,
  modesAdded: [],
  modesKept: [],
  lines: [],
  problems: [],
  declined: false,
};

function setup(link?: PairingLink) {
  const clock = new FakeClock();
  const sockets = new FakeSockets();
  const toMain: UiToMain[] = [];
  let last: ViewState | undefined;
  const controller = new Controller({ toMain: (m) => toMain.push(m), openSocket: sockets.open, clock, render: (v) => (last = structuredClone(v)), sessionId: 'window-1', random: () => 1 });
  controller.start();
  controller.onMainMessage({ ...INIT, ...(link ? { link } : {}) });
  const channel = new FakeChannel();
  channel.patch([COLORS_TAB]);
  const goLive = () => {
    const socket = sockets.last;
    socket.open();
    socket.receive(channel.welcome('snapshot'));
    socket.receive(channel.snapshot());
    return socket;
  };
  return { clock, sockets, toMain, view: () => last!, controller, channel, goLive };
}

describe('exporting the file to the sheet', () => {
  test('opening asks the main thread for every collection, and its answer fills the view', () => {
    const t = setup();
    t.controller.openExport();
    expect(t.toMain.slice(-1)).toEqual([{ type: 'export-request' }]);
    expect(t.view().exporting).toMatchObject({ loading: true });
    t.controller.onMainMessage(exportMessage());
    expect(t.view().exporting).toMatchObject({ loading: false, collections: [{ name: 'Colors', variables: 2 }], offerText: JSON.stringify(OFFER) });
  });

  test('leaving a collection out asks again for the rest (aliases between collections decide what each tab can hold)', () => {
    const t = setup();
    t.controller.openExport();
    t.controller.onMainMessage(exportMessage());
    t.controller.chooseExport('VariableCollectionId:1:1', false);
    expect(t.view().exporting).toMatchObject({ loading: false, collections: [] });
    expect(t.toMain.filter((m) => m.type === 'export-request')).toHaveLength(1);
    t.controller.chooseExport('VariableCollectionId:1:1', true);
    expect(t.toMain.slice(-1)).toEqual([{ type: 'export-request', collectionIds: ['VariableCollectionId:1:1'] }]);
  });

  test('a tab as TSV and CSV keeps text a sheet would convert as text (a leading apostrophe), and copying records the export', () => {
    const t = setup();
    t.controller.openExport();
    t.controller.onMainMessage(exportMessage());
    expect(t.controller.exportText('VariableCollectionId:1:1', 'tsv')).toBe("Name\tType\tLight\tDark\ncolor/bg\t\t#ffffff\t#000000\nfont/weight\tstring\t'400\t'700\n");
    expect(t.controller.exportText('VariableCollectionId:1:1', 'csv')).toBe("Name,Type,Light,Dark\ncolor/bg,,#ffffff,#000000\nfont/weight,string,'400,'700\n");
    t.controller.exportCopied('VariableCollectionId:1:1', 'select');
    expect(t.toMain.filter((m) => m.type === 'exported')).toEqual([]);
    t.controller.exportCopied('VariableCollectionId:1:1', 'copied');
    expect(t.toMain.slice(-1)).toEqual([{ type: 'exported', collectionIds: ['VariableCollectionId:1:1'] }]);
  });

  test('sending slices the offer into paced socket messages; the relay\'s answer is shown and the export recorded', () => {
    const t = setup(LINK);
    const socket = t.goLive();
    t.controller.openExport();
    const big: Offer = { ...OFFER, collections: [{ ...OFFER.collections[0]!, values: [['Name', 'Value'], ...Array.from({ length: 12_000 }, (_, i) => [`size/${i}`, `some text value number ${i} for the offer`])] }] };
    t.controller.onMainMessage(exportMessage(big));
    t.controller.sendExport();
    expect(socket.sentOf('offer').map((m) => [m.part, m.parts])).toEqual([[0, 3]]);
    expect(t.view().exporting!.send).toEqual({ id: 'o-abc', state: 'sending', parts: 3 });
    t.clock.advance(100);
    t.clock.advance(100);
    const parts = socket.sentOf('offer');
    expect(parts.map((m) => m.part)).toEqual([0, 1, 2]);
    expect(parts.map((m) => m.text).join('')).toBe(JSON.stringify(big));
    for (const m of parts) expect(Buffer.byteLength(JSON.stringify(m))).toBeLessThanOrEqual(256 * 1024);
    socket.receive({ type: 'offered', id: 'o-abc', expiresAt: 1_000_000 });
    expect(t.view().exporting!.send).toMatchObject({ state: 'offered', expiresAt: 1_000_000 });
    expect(t.toMain.slice(-1)).toEqual([{ type: 'exported', collectionIds: ['VariableCollectionId:1:1'] }]);
  });

  test('a refused offer shows the relay\'s reason, and the socket (and the sync) stays', () => {
    const t = setup(LINK);
    const socket = t.goLive();
    t.controller.openExport();
    t.controller.onMainMessage(exportMessage());
    t.controller.sendExport();
    socket.receive({ type: 'offer-refused', id: 'o-abc', code: 'OFFER_TOO_LARGE', message: 'too big' });
    expect(t.view().exporting!.send).toMatchObject({ state: 'refused', code: 'OFFER_TOO_LARGE', message: 'too big' });
    expect(t.view().connection!.to).toBe('live');
    expect(t.toMain.filter((m) => m.type === 'exported')).toEqual([]);
  });

  test('a socket lost before the answer says so; without a connection nothing is sent', () => {
    const t = setup(LINK);
    const socket = t.goLive();
    t.controller.openExport();
    t.controller.onMainMessage(exportMessage());
    t.controller.sendExport();
    socket.closeFromRelay(1006);
    expect(t.view().exporting!.send).toMatchObject({ state: 'lost' });
    t.controller.sendExport();
    expect(t.view().exporting!.send).toMatchObject({ state: 'lost', message: expect.stringContaining('not connected') });
  });
});

describe('adopting the collections the sheet\'s tabs name', () => {
  const applied = (t: ReturnType<typeof setup>, seq: number, extra: Partial<Extract<MainToUi, { type: 'applied' }>>): void =>
    t.controller.onMainMessage({ type: 'applied', position: { epoch: t.channel.epoch, seq }, counts: { created: 0, updated: 0, unchanged: 0 }, problems: [], orphans: [], durationMs: 1, ...extra });

  test('Adopt tells the main thread, then applies the same grid again, which adopts; the note says what was adopted', () => {
    const t = setup(LINK);
    t.goLive();
    const seq = t.channel.seq;
    applied(t, seq, { adoptions: [ADOPTION] });
    expect(t.view().adoptions).toEqual([ADOPTION]);
    const applies = t.toMain.filter((m) => m.type === 'apply').length;
    t.controller.adopt([ADOPTION.collectionId]);
    expect(t.toMain.slice(-2).map((m) => m.type)).toEqual(['adopt', 'apply']);
    expect(t.toMain.filter((m) => m.type === 'apply')).toHaveLength(applies + 1);
    expect(t.view().adopting).toEqual([ADOPTION.collectionId]);
    applied(t, seq, { adopted: [{ collectionId: ADOPTION.collectionId, tab: 'Colors', adopted: 118, created: 4, valuesChanged: 7, detailsChanged: 0, figmaOnlyCount: 2, modesKept: [], exported: false }] });
    expect(t.view()).toMatchObject({ adoptions: [], adopting: undefined, adopted: [{ tab: 'Colors', adopted: 118 }] });
    // The relay hears of the adopting apply too.
    expect(t.sockets.last.sentOf('applied').slice(-1)[0]).toMatchObject({ seq });
  });

  test('Not now tells the main thread and keeps the tab listed as declined', () => {
    const t = setup(LINK);
    t.goLive();
    applied(t, t.channel.seq, { adoptions: [ADOPTION] });
    t.controller.declineAdoption([ADOPTION.collectionId]);
    expect(t.toMain.slice(-1)).toEqual([{ type: 'decline-adoption', collectionIds: [ADOPTION.collectionId] }]);
    expect(t.view().adoptions[0]!.declined).toBe(true);
  });
});
