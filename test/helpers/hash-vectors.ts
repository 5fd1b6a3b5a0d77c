// The canonical hash's test vectors (docs/protocol.md "The canonical hash"), computed with Python's
// hashlib from the written definition, not with the code under test; shared by the hash tests.

import type { CellValue, Rows } from '../../shared/protocol/grid';

/** The first test vector of docs/protocol.md: two tabs, given out of tabId order and with trailing padding. */
export const VECTOR_TABS: { tabId: number; name: string; rows: Rows }[] = [
  {
    tabId: 1843256789,
    name: 'Typographie — Überschriften',
    rows: [
      ['Name', 'Value', ''],
      ['font/heading', 'Inter Display ✓', ''],
      ['flag/beta', true, ''],
      ['released', '2024-05-01T09:30:00.000Z', ''],
      ['size/body', 1.5, ''],
      ['', '', ''],
    ],
  },
  {
    tabId: 0,
    name: 'Colors 🎨',
    rows: [
      ['Name', 'Light', 'Dark'],
      ['color/brand/primary', '#0066ff', ''],
      ['spacing/4', 16, false],
      [],
    ],
  },
];
/** Computed with Python's hashlib from the definition (not with the code under test). */
export const VECTOR = {
  colorsRowTexts: ['["Name","Light","Dark"]', '["color/brand/primary","#0066ff"]', '["spacing/4",16,false]'],
  colorsChunk: 'afaeaf01fece8c77975bea15a1eb848f65cb3ee3ecde02905165f6e50d4d1b55',
  colorsTab: '58d44b682c91e516ebf791fda6e03aa82c34a786eaff5949269b7e03dd98d8fc',
  typoChunk: '4415607450f3c5e76dbadc5e97f313c32fc76143cf7d79a8911913171d625a4d',
  typoTab: '1a2d440ce5cdeb8f6254752d9c9da632028e54e847aa5404c828e199ec084788',
  grid: 'e66f08af8b20297e2cbf3c0eba65221fe5f1af3d10d7d9b4c2e0622eeeae3539',
};
/** The second vector: 600 rows over three chunks, every hundredth row (from row 51) empty, then empty rows. */
export const BIG_TAB = { tabId: 7, name: 'Big', rows: [...Array.from({ length: 600 }, (_, i): CellValue[] => (i % 100 === 50 ? [] : [`v${i}`, i])), ['', ''], []] };
export const BIG = {
  chunks: [
    'd8fb6029679f3a89f3c26f9ff28546c3b26f822ac331e5d91d1074b92a336ebb',
    '83a7998566aec00e10ff325e5d587a19645b330d52b992e1de41717e645a7db9',
    'c6b3e8a65b45fc0cbe2978b7c4a8f9391b968d4dfadcd9ee8b0deb737abb7165',
  ],
  tab: 'b8c1c012acc7b419f29c7da5e721becf3410b3ba95df87b765d4cd3e5809987b',
  grid: 'b43cd921a9c26eb2492dcedb5a5d17677c6dfb41d90785f85901e1e790f78753',
  withVector: '79c5a7aa9ab7715154b827e04798832adb0acd9dc04f555c0a54add456e2da10',
};
export const EMPTY_GRID_HASH = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const EMPTY_TAB = { tabId: 5, name: 'Empty', rows: [['', ''], ['']] };
export const EMPTY_TAB_DIGEST = 'b345388f87e386287a6131040187cdada2cf0fd871411b119cc009cf1b2ea7d5';
export const EMPTY_TAB_GRID = '607269996128ce690ce657fac8c4f329f08ae61cb43e96ac12a3f354ac8e6193';

