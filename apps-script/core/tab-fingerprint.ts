// One tab's fingerprint: what the add-on stores per synced tab after every change it builds, so a
// later execution can tell which tabs changed without an event naming them (onChange names no
// sheet; a dropped edit event names nothing). It is the tab's digest in the canonical hash
// (shared/protocol/canonical-hash.ts), shortened: the session computes each tab's digest once and uses it for
// both the hash and the fingerprint.

import type { TabValues } from './change-builder';

/** Hex digits kept: 64 bits tell changed from unchanged; nothing here is a security check. */
const KEPT_HEX = 16;

/** The fingerprint of a tab whose canonical-hash digest is `tabDigest`. */
export function fingerprintOf(tabDigest: string): string {
  return tabDigest.slice(0, KEPT_HEX);
}

/** The synced tabs whose fingerprint differs from the stored one (or that have none stored), in order. */
export function changedTabIds(grid: readonly TabValues[], stored: Readonly<Record<string, string>>, tabDigest: (tab: TabValues) => string): number[] {
  return grid.filter((t) => stored[String(t.tabId)] !== fingerprintOf(tabDigest(t))).map((t) => t.tabId);
}
