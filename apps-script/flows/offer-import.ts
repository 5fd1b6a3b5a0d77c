// The sidebar's Import: reads an offer from the relay (a Figma file's variables as tabs), writes its
// tabs into the spreadsheet — new ones inserted, an empty one of the same name filled, one with content
// replaced only once the owner confirmed it, never silently — checks that Sheets kept every cell as
// written (text it would read as a number, a date or TRUE is written again as plain text), makes the
// tabs sync and sends a snapshot. Syncing then adopts the Figma file's collections (issue 10).

import { parseOffer, paths, type Offer, type Problem } from '../../shared/protocol/messages';
import { AddonError } from '../core/addon-error';
import { cellConvertedProblem } from '../core/import-problems';
import { cellsToRewrite, hasContent, planImport, rectangle, type ImportResult } from '../core/offer-import';
import { collapse } from '../core/outbox';
import { classifyPlainAnswer } from '../core/relay-answer';
import type { TabRef } from '../core/synced-tabs';
import { assertAllScopes } from './authorization';
import { underLock } from './document-lock';
import { push } from './push';
import { sendSigned } from './relay-client';
import type { Session } from './session';

const OFFER_ID_RE = /^[A-Za-z0-9_.:-]{1,64}$/;
const isOffer = (v: unknown): v is Offer => parseOffer(v).ok;

/** Reads an offer with a signed GET; throws the relay's refusal (OFFER_NOT_FOUND when it expired). */
export function fetchOffer(session: Session, offerId: string): Offer {
  const channel = session.state.channel;
  if (!channel) throw new AddonError('NOT_CONNECTED');
  const answer = classifyPlainAnswer(sendSigned(session, 'get', paths.offer(channel.channelId, offerId)), isOffer);
  if (!answer.ok) throw new AddonError(answer.failure.code, answer.failure.message);
  return answer.body;
}

/**
 * Imports the offer. Tabs with content are replaced only when named in `confirmReplace`; while one is
 * not, nothing is written and the result lists them in `needsConfirmation`.
 */
export function importOffer(session: Session, offerIdArg: unknown, confirmReplaceArg: unknown): ImportResult {
  if (typeof offerIdArg !== 'string' || !OFFER_ID_RE.test(offerIdArg)) throw new AddonError('BAD_REQUEST', 'Import needs the id of an offer the sidebar lists.');
  const confirmed = Array.isArray(confirmReplaceArg) ? confirmReplaceArg.filter((n): n is string => typeof n === 'string') : [];
  assertAllScopes(session);
  const offer = fetchOffer(session, offerIdArg);
  const result = underLock(session, () => write(session, offer, confirmed));
  if (result === 'busy') throw new AddonError('RELAY_UNREACHABLE', 'Another sync of this sheet is still running; try Import again in a moment.');
  return result;
}

function write(session: Session, offer: Offer, confirmed: readonly string[]): ImportResult {
  const sheet = session.ports.sheet;
  const existing = sheet.tabs().map((t) => ({ tabId: t.tabId, name: t.name, hasContent: hasContent(sheet.values(t.tabId)) }));
  const plan = planImport(offer, existing, confirmed);
  const base = { offerId: offer.id, fileName: offer.file.name, problems: offer.problems ?? [], synced: false };
  if (plan.needsConfirmation.length > 0) return { ...base, tabs: [], needsConfirmation: plan.needsConfirmation };

  const problems: Problem[] = [...base.problems];
  const written: ImportResult['tabs'] = [];
  const targets = [
    ...plan.write.map((w) => ({ collection: w.collection, tabId: w.tab.tabId, how: w.tab.hasContent ? ('replaced' as const) : ('filled' as const), renameFrom: w.tab.name })),
    ...plan.create.map((collection) => ({ collection, tabId: sheet.insertTab(collection.name), how: 'inserted' as const, renameFrom: collection.name })),
  ];
  for (const t of targets) {
    // The tab takes the collection's exact name: the sync adopts a collection by its name.
    if (t.renameFrom !== t.collection.name) sheet.renameTab(t.tabId, t.collection.name);
    const rows = rectangle(t.collection.values);
    sheet.replaceValues(t.tabId, rows);
    problems.push(...keepAsWritten(session, t.tabId, t.collection.name, rows));
    written.push({ name: t.collection.name, tabId: t.tabId, rows: Math.max(0, rows.length - 1), how: t.how });
  }

  // The imported tabs sync: with the owner's own choice of tabs they are added to it (a Name header makes them sync by default).
  session.forgetValues();
  const s = session.state;
  if (s.tabs?.mode === 'chosen') {
    const ids = new Set([...s.tabs.tabs.map((t) => t.tabId), ...written.map((w) => w.tabId)]);
    session.storeSyncedTabs(sheet.tabs().filter((t: TabRef) => ids.has(t.tabId)), 'chosen');
  } else session.storeSyncedTabs(session.syncedTabs(true));
  let synced = false;
  if (s.channel && !s.paused && !s.error?.stop) {
    s.outbox = collapse(s.outbox);
    synced = push(session, undefined, true) === 'sent';
  }
  return { ...base, problems, tabs: written, synced };
}

/**
 * Reads the tab back and writes again, as text, every string Sheets stored as something else: first
 * formatted as plain text, then with a leading apostrophe. Whether setValues keeps strings as text or
 * reads them as typed is not documented; this holds either way. What still differs is reported.
 */
function keepAsWritten(session: Session, tabId: number, tab: string, rows: readonly (readonly (string | number | boolean)[])[]): Problem[] {
  const sheet = session.ports.sheet;
  const intended = rows.map((r) => [...r]);
  let left = cellsToRewrite(intended, sheet.values(tabId));
  for (const how of ['plain-text', 'apostrophe'] as const) {
    if (left.text.length === 0) break;
    sheet.writeText(tabId, left.text, how);
    left = cellsToRewrite(intended, sheet.values(tabId));
  }
  return [...left.text, ...left.other].map((c) => cellConvertedProblem(tab, c.row, c.col, c.text, c.stored));
}
