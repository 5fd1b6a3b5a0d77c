// The Apps Script fakes behave as the reference says for what the add-on relies on, so the
// integration tests prove something about the real services.

import { FakeSpreadsheet } from '../fakes/apps-script/spreadsheet';
import { FakePropertyStore, PROPERTY_LIMITS } from '../fakes/apps-script/properties';
import { createAddonWorld } from '../fakes/apps-script/run-addon';

const none = () => undefined;

describe('the SpreadsheetApp fake', () => {
  const doc = new FakeSpreadsheet('id', 'Doc');
  const sheet = doc.addSheet('Colors');
  sheet.getRange(1, 1, 2, 2).setValues([
    ['Name', 'Value'],
    ['a', new Date(Date.UTC(2024, 0, 1))],
  ]);

  it('gives getValues() as numRows arrays of numCols cells, "" for empty ones and Date objects for dates', () => {
    const values = sheet.getRange('A1:C3').getValues();
    expect(values.map((r) => r.length)).toEqual([3, 3, 3]);
    expect(values[2]).toEqual(['', '', '']);
    expect(Object.prototype.toString.call(values[1]![1])).toBe('[object Date]');
  });

  it('runs getDataRange() from A1 to the last cell with content, and A1 alone on an empty sheet', () => {
    expect(sheet.getDataRange().getA1Notation()).toBe('A1:B2');
    expect(doc.addSheet('Empty').getDataRange().getValues()).toEqual([['']]);
  });

  it('checks getRange(row, column, numRows, numColumns) with Sheets’ messages', () => {
    expect(() => sheet.getRange(0, 1)).toThrow('The starting row of the range is too small.');
    expect(() => sheet.getRange(1, 0)).toThrow('The starting column of the range is too small.');
    expect(() => sheet.getRange(1, 1, 0, 1)).toThrow('The number of rows in the range must be at least 1.');
    expect(() => sheet.getRange(1, 1, 1, 0)).toThrow('The number of columns in the range must be at least 1.');
    expect(() => sheet.getRange(1000, 1, 2, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange('not a range')).toThrow('Range not found');
  });

  it('refuses setValues() whose shape differs from the range', () => {
    expect(() => sheet.getRange(1, 1, 2, 1).setValues([['x']])).toThrow('The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.');
  });

  it('throws "not implemented in fake" for members it does not have', () => {
    expect(() => (sheet.asSheet() as unknown as { hideSheet(): void }).hideSheet()).toThrow('not implemented in fake: Sheet.hideSheet');
  });

  it('refuses a second tab with the same name, in any case', () => {
    expect(() => doc.addSheet('colors')).toThrow('A sheet with the name "colors" already exists. Please enter another name.');
  });
});

describe('the PropertiesService fake', () => {
  it('refuses a value over 9 KB', () => {
    const store = new FakePropertyStore('DocumentProperties', none);
    expect(() => store.setProperty('k', 'x'.repeat(PROPERTY_LIMITS.valueBytes + 1))).toThrow('Argument too large: value');
  });

  it('refuses to grow a store past 500 KB, keeping what it had', () => {
    const store = new FakePropertyStore('DocumentProperties', none);
    for (let i = 0; i < 62; i++) store.setProperty(`k${i}`, 'x'.repeat(8_000));
    expect(() => store.setProperties({ more: 'x'.repeat(8_000), andMore: 'y'.repeat(8_000) })).toThrow('You have exceeded the property storage quota. Please remove some properties and try again.');
    expect(store.getKeys()).toHaveLength(62);
  });

  it('returns copies, so changing what it returned changes nothing stored', () => {
    const store = new FakePropertyStore('DocumentProperties', none);
    store.setProperty('a', '1');
    store.getProperties().a = '2';
    expect(store.getProperty('a')).toBe('1');
  });
});

describe('the ScriptApp, LockService and UrlFetchApp fakes as a script sees them', () => {
  it('allow one trigger of each type per user per document, with Apps Script’s message', () => {
    // A tiny script of its own: the fakes, not the add-on, are under test here.
    const code = `function makeClock() { ScriptApp.newTrigger('x').timeBased().everyHours(1).create(); }`;
    const world = createAddonWorld({ users: ['a@example.com', 'b@example.com'], code });
    world.spreadsheet.addSheet('Sheet1');
    try {
      world.run('a@example.com', 'makeClock');
      expect(() => world.run('a@example.com', 'makeClock')).toThrow('This add-on has created too many time-based triggers in this document for this Google user account.');
      world.run('b@example.com', 'makeClock');
      expect(world.triggers.map((t) => [t.user, t.eventType])).toEqual([
        ['a@example.com', 'CLOCK'],
        ['b@example.com', 'CLOCK'],
      ]);
    } finally {
      void world.close();
    }
  });

  it('gives tryLock false while another execution holds the document lock, and waitLock Apps Script’s timeout', () => {
    const world = createAddonWorld({ code: `function a() { return LockService.getDocumentLock().tryLock(10); } function b() { LockService.getDocumentLock().waitLock(10); }` });
    try {
      expect(world.run('owner@example.com', 'a')).toBe(true);
      world.locks.document.heldByOther = true;
      expect(world.run('owner@example.com', 'a')).toBe(false);
      expect(() => world.run('owner@example.com', 'b')).toThrow('Lock timeout: another process was holding the lock for too long.');
      expect(world.executions[0]!.leftLockHeld).toBe(true); // released by the end of the execution, as Apps Script does
    } finally {
      void world.close();
    }
  });

  it('makes UrlFetchApp throw Apps Script’s words on a refused connection, even with muteHttpExceptions', () => {
    const world = createAddonWorld({ code: `function f(url, mute) { return UrlFetchApp.fetch(url, { muteHttpExceptions: mute }).getResponseCode(); }` });
    try {
      expect(() => world.run('owner@example.com', 'f', ['http://127.0.0.1:1/x', true])).toThrow('Address unavailable: http://127.0.0.1:1/x');
    } finally {
      void world.close();
    }
  });
});

describe('the runtime the fakes give a script', () => {
  it('has ES2020’s built-ins and none added later (Object.hasOwn, Array.prototype.at, replaceAll, structuredClone…)', () => {
    const world = createAddonWorld({
      code: `function probe() { return [typeof Object.hasOwn, typeof [].at, typeof ''.replaceAll, typeof [].findLast, typeof new Uint8Array(1).at, typeof structuredClone, typeof Promise.allSettled, typeof BigInt, typeof ''.matchAll]; }`,
    });
    try {
      expect(world.run('owner@example.com', 'probe')).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'function', 'function', 'function']);
    } finally {
      void world.close();
    }
  });
});
