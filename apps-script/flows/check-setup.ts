// Check setup: runs every check the add-on can make from here, one after another, each timed and
// none able to stop the others: authorization and scopes, the connection, this user's triggers,
// the hourly trigger's last run, the relay (reachable, and accepting this sheet's signature), the
// queue, and whether the sheet is as last sent. Meant for the first run on real Google
// (docs/first-run.md says what to look for); the report carries nothing secret.

import { PROTOCOL_VERSION } from '../../shared/protocol/limits';
import { ADDON_SCOPES, ADDON_VERSION } from '../core/product';
import { pendingCount } from '../core/outbox';
import { reportText, shortId, type SetupReport, type SetupStep, type StepResult } from '../core/setup-report';
import { changedTabIds } from '../core/tab-fingerprint';
import { TRIGGERS_PER_DOCUMENT, TRIGGERS_PER_USER_LIMIT, HANDLERS } from '../core/trigger-handlers';
import { lastHourlyRun } from './hourly';
import type { Session } from './session';
import { fetchRelayStatus } from './sidebar';

type Outcome = { result: StepResult; detail: string };

const when = (ms: number): string => new Date(ms).toISOString();

export function checkSetup(session: Session): SetupReport {
  const { env } = session.ports;
  const started = env.now();
  const steps: SetupStep[] = [];
  const s = session.state;
  // Error texts can quote request URLs: the channel id is shortened and a secret never shows.
  const redact = (text: string): string => {
    let out = text;
    if (s.channel) out = out.split(s.channel.channelId).join(shortId(s.channel.channelId));
    for (const secret of [s.secret, s.pendingSecret]) if (secret) out = out.split(secret).join('…');
    return out;
  };
  const step = (name: string, run: () => Outcome): void => {
    const t0 = env.now();
    let outcome: Outcome;
    try {
      outcome = run();
    } catch (err) {
      outcome = { result: 'fail', detail: `threw: ${(err as Error).message}` };
    }
    steps.push({ name, result: outcome.result, detail: redact(outcome.detail), ms: Math.max(0, env.now() - t0) });
  };

  step('Authorization', () => {
    const url = session.ports.auth.reauthorizationUrl();
    if (url !== undefined) return { result: 'fail', detail: `you must approve the add-on again (every permission ticked): ${url}` };
    const granted = session.ports.auth.authorizedScopes();
    if (!granted) return { result: 'ok', detail: 'approved; this runtime does not list granted scopes (AuthorizationInfo.getAuthorizedScopes missing)' };
    const missing = ADDON_SCOPES.filter((scope) => !granted.includes(scope));
    return missing.length ? { result: 'fail', detail: `not granted: ${missing.join(', ')}` } : { result: 'ok', detail: `all ${ADDON_SCOPES.length} scopes granted` };
  });

  step('Connection', () => {
    if (!s.channel) return { result: 'fail', detail: 'not connected: enter the relay address and press Connect' };
    const tabs = s.tabs?.tabs.length ?? 0;
    const paused = s.paused ? '; sync is PAUSED' : '';
    return { result: s.paused ? 'warn' : 'ok', detail: `relay ${s.channel.relayUrl}, channel ${shortId(s.channel.channelId)}, ${tabs} synced tab${tabs === 1 ? '' : 's'} (${s.tabs?.mode ?? 'auto'})${paused}` };
  });

  step('Your triggers', () => {
    const mine = session.ports.triggers.mine().map((t) => t.handler);
    const total = session.ports.triggers.projectCount();
    const people = Object.keys(s.members).length;
    const expected = Object.values(HANDLERS) as string[];
    const missing = expected.filter((h) => !mine.includes(h));
    const detail = `${mine.length ? mine.join(', ') : 'none'} in this document (${TRIGGERS_PER_DOCUMENT} expected); ${total} of ${TRIGGERS_PER_USER_LIMIT} across your documents; ${people} ${people === 1 ? 'person' : 'people'} connected here (Apps Script lists only your own triggers)`;
    if (s.channel && missing.length) return { result: 'fail', detail: `missing ${missing.join(', ')}: ${detail}` };
    return { result: TRIGGERS_PER_USER_LIMIT - total < TRIGGERS_PER_DOCUMENT ? 'warn' : 'ok', detail };
  });

  step('Hourly trigger', () => {
    const run = lastHourlyRun(session.ports.user, session.ports.sheet.id());
    if (!run) return { result: 'skip', detail: 'has not run for this document yet (it runs within an hour of Connect)' };
    if (!run.document) return { result: 'warn', detail: `last ran ${when(run.at)} WITHOUT the document (it can send nothing then; edits and the open sidebar send what waits)` };
    return { result: 'ok', detail: `last ran ${when(run.at)} with the document` };
  });

  step('Relay reachable', () => {
    if (!s.channel) return { result: 'skip', detail: 'not connected' };
    const answer = session.ports.http.fetch({ method: 'get', url: `${s.channel.relayUrl}/healthz`, headers: {} });
    if ('failure' in answer) return { result: 'fail', detail: `GET /healthz: ${answer.failure}` };
    return { result: answer.status === 200 ? 'ok' : 'fail', detail: `GET /healthz answered ${answer.status}` };
  });

  step('Signature accepted', () => {
    if (!s.channel) return { result: 'skip', detail: 'not connected' };
    const status = fetchRelayStatus(session);
    if ('error' in status) return { result: 'fail', detail: status.error };
    const files = status.status.clients.length;
    return { result: 'ok', detail: `the relay knows the channel at seq ${status.status.seq}; ${files} Figma session${files === 1 ? '' : 's'} connected` };
  });

  step('Queue', () => {
    const waiting = pendingCount(s.outbox) + (s.wantSnapshot ? 1 : 0);
    const error = s.error ? `; last error ${s.error.code} at ${when(s.error.at)}${s.error.stop ? ' (sending stopped until you act)' : ''}` : '';
    if (!waiting) return { result: s.error?.stop ? 'fail' : 'ok', detail: `nothing waiting${error}` };
    const next = s.outbox.meta.nextAttemptAt ? `, next try after ${when(s.outbox.meta.nextAttemptAt)}` : '';
    return { result: 'warn', detail: `${waiting} waiting${s.outbox.meta.snapshot ? ' (a snapshot)' : ''}${next}${error}` };
  });

  step('Sheet as last sent', () => {
    if (!s.channel) return { result: 'skip', detail: 'not connected' };
    const changed = changedTabIds(session.values(), s.prints, session.tabDigest).length;
    const last = s.last ? `last push ${when(s.last.at)}, seq ${s.last.seq}` : 'nothing sent yet';
    return changed ? { result: 'warn', detail: `${changed} synced tab${changed === 1 ? '' : 's'} differ from what was last sent (sent on the next edit, refresh or hourly run); ${last}` } : { result: 'ok', detail: `every synced tab as last sent; ${last}` };
  });

  return { version: ADDON_VERSION, protocol: PROTOCOL_VERSION, at: started, steps, text: reportText(ADDON_VERSION, PROTOCOL_VERSION, started, steps) };
}
