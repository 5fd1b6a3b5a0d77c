// Small formatting rules for what the plugin shows: cell references, times and durations.

import type { Problem } from '../../shared/protocol/messages';

/** A tab name as a sheet reference: quoted like Sheets does when it is not a plain word. */
export function sheetRef(tab: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(tab) ? tab : `'${tab.replace(/'/g, "''")}'`;
}

/** "Colors!B7: message", "Colors: message" for a problem with the whole tab, or the message alone for one with the file. */
export function problemLine(problem: Problem): string {
  if (problem.tab === '') return problem.message;
  const where = problem.cell ? `${sheetRef(problem.tab)}!${problem.cell}` : sheetRef(problem.tab);
  return `${where}: ${problem.message}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Local wall-clock time, "14:03:07". */
export function clockTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** A duration for people: "40 ms", "2.4 s", "12 s", "2 min 5 s", "3 h 10 min". */
export function duration(ms: number): string {
  const t = Math.max(0, ms);
  if (t < 1000) return `${Math.round(t)} ms`;
  if (t < 10_000) return `${(Math.round(t / 100) / 10).toFixed(1)} s`;
  const s = Math.round(t / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s / 60} min`;
  const m = Math.round(s / 60);
  return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
}

/** Whole seconds left until `at`, never below 0 (a countdown shows "in 1 s" until it fires). */
export function secondsUntil(at: number, now: number): number {
  return Math.max(0, Math.ceil((at - now) / 1000));
}

/** The host of a relay URL, for messages ("relay.example.com"). */
export function relayHost(relayUrl: string): string {
  const match = /^[a-z]+:\/\/([^/]+)/i.exec(relayUrl);
  return match ? match[1]! : relayUrl;
}

/** "1 error", "3 warnings": a count with its noun. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
