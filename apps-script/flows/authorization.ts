// Authorization is per user (each person approves the add-on; each trigger runs as its creator):
// a trigger that finds its user must approve again stops and records that user's key in the
// document, which only that user's own next execution clears. Before Connect and Sync now every
// scope is checked, so a scope left unticked on Google's granular consent screen gets advice.

import { AddonError } from '../core/addon-error';
import type { Session } from './session';

const advice = (url: string | undefined): string =>
  `The add-on needs your approval for everything it asks, and at least one permission is missing (granular consent lets you untick some). Open ${url ?? "the add-on's menu again"}, tick every permission, then try again.`;

/** Throws REAUTHORIZATION_REQUIRED with advice unless this user granted every scope of the manifest. */
export function assertAllScopes(session: Session): void {
  const url = session.ports.auth.reauthorizationUrl();
  if (url !== undefined) throw new AddonError('REAUTHORIZATION_REQUIRED', advice(url));
  try {
    // Ends the execution with Google's own prompt when a consent is missing; undocumented how that
    // reaches google.script.run, so anything it throws becomes the same advice.
    session.ports.auth.requireAllScopes();
  } catch (err) {
    throw new AddonError('REAUTHORIZATION_REQUIRED', `${advice(undefined)} (${(err as Error).message})`);
  }
}

/** Forgets that this user needed to approve again (they just ran with every scope). Saves nothing. */
export function clearOwnReauthorization(session: Session): void {
  const s = session.state;
  if (!Object.keys(s.reauth).length) return;
  const key = session.userKey();
  if (s.reauth[key] === undefined) return;
  const rest = { ...s.reauth };
  delete rest[key];
  s.reauth = rest;
}

/**
 * Whether a trigger must stop because its user must approve the add-on again (a new version asks
 * for more, or access was removed). Records it once for the sidebars (add-on triggers send no
 * emails); a run that finds it granted again clears this user's record, and only this user's.
 */
export function stopForReauthorization(session: Session): boolean {
  const url = session.ports.auth.reauthorizationUrl();
  const s = session.state;
  if (url === undefined) {
    const had = Object.keys(s.reauth).length;
    clearOwnReauthorization(session);
    if (Object.keys(s.reauth).length !== had) session.save();
    return false;
  }
  if (s.channel) {
    const key = session.userKey();
    if (s.reauth[key] === undefined) {
      s.reauth = { ...s.reauth, [key]: session.ports.env.now() };
      session.save();
    }
  }
  return true;
}
