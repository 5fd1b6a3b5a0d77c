// One tab's fingerprint: what the add-on stores per synced tab after every change it builds, so a
// later execution can tell which tabs changed without an event naming them (onChange names no
// sheet; a dropped edit event names nothing). The one place that defines it: when the canonical
// hash gains a per-tab digest, this function becomes that digest.

import { canonicalText } from '../../shared/canonical-hash';
import type { TabValues } from './change-builder';

/** Hex digits kept: 64 bits tell changed from unchanged; nothing here is a security check. */
const KEPT_HEX = 16;

/** The fingerprint of one normalized tab (id, name and rows): `digest` is the runtime's SHA-256 hex. */
export function tabFingerprint(tab: TabValues, digest: (text: string) => string): string {
  return digest(canonicalText([tab])).slice(0, KEPT_HEX);
}

/** The synced tabs whose fingerprint differs from the stored one (or that have none stored), in order. */
export function changedTabIds(grid: readonly TabValues[], stored: Readonly<Record<string, string>>, digest: (text: string) => string): number[] {
  return grid.filter((t) => stored[String(t.tabId)] !== tabFingerprint(t, digest)).map((t) => t.tabId);
}
