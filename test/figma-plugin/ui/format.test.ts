// How the plugin writes cell references, times and durations.

import { clockTime, duration, plural, problemLine, relayHost, secondsUntil, sheetRef } from '../../../figma-plugin/ui/format';

describe('format', () => {
  test('a plain tab name is used as is in a cell reference', () => {
    expect(problemLine({ tab: 'Colors', cell: 'B7', severity: 'error', message: 'not a colour' })).toBe('Colors!B7: not a colour');
  });

  test('a tab name with spaces or quotes is quoted the way Sheets quotes it', () => {
    expect(sheetRef('Brand Colors')).toBe("'Brand Colors'");
    expect(sheetRef("Kid's tokens")).toBe("'Kid''s tokens'");
    expect(sheetRef('2024')).toBe("'2024'");
  });

  test('a problem with the whole tab names only the tab', () => {
    expect(problemLine({ tab: 'Spacing', cell: '', severity: 'warning', message: 'no Name column' })).toBe('Spacing: no Name column');
  });

  test('a problem with the Figma file rather than a tab is its message alone', () => {
    expect(problemLine({ tab: '', cell: '', severity: 'warning', message: 'Figma lists a leftover' })).toBe('Figma lists a leftover');
  });

  test('clock time is local hours, minutes and seconds with leading zeros', () => {
    expect(clockTime(new Date(2024, 0, 2, 9, 5, 7).getTime())).toBe('09:05:07');
  });

  test('durations read naturally at every scale', () => {
    expect([0, 40, 999, 1000, 2449, 9960, 12_300, 60_000, 125_000, 3_600_000, 3_900_000, -5].map(duration)).toEqual([
      '0 ms',
      '40 ms',
      '999 ms',
      '1.0 s',
      '2.4 s',
      '10.0 s',
      '12 s',
      '1 min',
      '2 min 5 s',
      '1 h',
      '1 h 5 min',
      '0 ms',
    ]);
  });

  test('a countdown shows whole seconds left, rounded up, never negative', () => {
    expect([secondsUntil(10_000, 2_500), secondsUntil(10_000, 9_999), secondsUntil(10_000, 10_000), secondsUntil(10_000, 12_000)]).toEqual([8, 1, 0, 0]);
  });

  test('the relay host is the URL without scheme and path', () => {
    expect([relayHost('https://relay.example.com'), relayHost('http://127.0.0.1:8787/base'), relayHost('odd')]).toEqual(['relay.example.com', '127.0.0.1:8787', 'odd']);
  });

  test('counts carry their noun in the right number', () => {
    expect([plural(0, 'error'), plural(1, 'error'), plural(3, 'warning')]).toEqual(['0 errors', '1 error', '3 warnings']);
  });
});
