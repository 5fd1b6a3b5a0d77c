// Renders the sidebar from the add-on's view model (SidebarState) and what the page itself keeps
// (drafts, which action is running, the last message). Every text goes in as text.

import type { ImportResult, SidebarOffer } from '../core/offer-import';
import type { SetupReport } from '../core/setup-report';
import type { SidebarProblem, SidebarState } from '../core/sidebar-state';
import { h } from './dom';
import { behindText, timeAgo, timeLeft } from './format';

export interface UiState {
  /** The action running now, shown as busy buttons. */
  busy?: string;
  error?: string;
  notice?: string;
  relayUrlDraft: string;
  keyDraft: string;
  showKey: boolean;
  copied: boolean;
  now: number;
  /** The last Check setup report, and whether it was just copied. */
  report?: SetupReport;
  reportCopied?: boolean;
  /** What the last Import did. */
  imported?: ImportResult;
}

export interface Actions {
  connect(): void;
  draftRelayUrl(value: string): void;
  draftKey(value: string): void;
  toggleKey(): void;
  copy(): void;
  setTabs(ids: number[]): void;
  refresh(): void;
  syncNow(): void;
  pause(): void;
  resume(): void;
  rotate(): void;
  disconnect(): void;
  select(problem: SidebarProblem): void;
  checkSetup(): void;
  copyReport(): void;
  importOffer(offer: SidebarOffer): void;
  closeImport(): void;
}

function button(label: string, onClick: () => void, ui: UiState, options: { kind?: string; id: string; title?: string }): HTMLElement {
  const busy = ui.busy === options.id;
  return h('button', { class: options.kind, id: options.id, disabled: !!ui.busy, title: options.title, onclick: onClick }, busy ? `${label}…` : label);
}

function statusSection(state: SidebarState, ui: UiState, act: Actions): HTMLElement {
  const last = state.lastPushAt ? `Last push ${timeAgo(state.lastPushAt, ui.now)}${state.seq !== undefined ? ` · seq ${state.seq}` : ''}` : 'Nothing sent yet';
  return h(
    'section',
    { id: 'status' },
    h('div', { class: 'status' }, h('span', { class: `dot ${state.status.kind}` }), h('div', { class: 'grow' }, h('p', { id: 'status-text' }, state.status.text), h('p', { class: 'muted' }, last))),
    state.reauthorizeUrl
      ? h('div', { class: 'banner' }, 'Approve the add-on again to resume syncing: ', h('a', { href: state.reauthorizeUrl, target: '_blank', rel: 'noopener' }, 'review access'), '.')
      : null,
    state.triggersMissing
      ? h('div', { class: 'banner info', id: 'triggers-missing' }, 'This account has no sync triggers. Edits (anyone’s) are sent by the triggers of any collaborator who connected; if no one else has, Connect again below to send them from this account.')
      : null,
    state.othersNeedReauthorization
      ? h(
          'div',
          { class: 'banner info', id: 'others-reauthorize' },
          `${state.othersNeedReauthorization === 1 ? 'A collaborator’s triggers are' : `${state.othersNeedReauthorization} collaborators’ triggers are`} stopped until they approve the add-on again (they see it in their sidebar); anyone else’s connected triggers still send edits.`,
        )
      : null,
    state.triggers?.warning ? h('div', { class: 'banner', id: 'trigger-warning' }, state.triggers.warning) : null,
    h(
      'div',
      { class: 'actions' },
      button('Sync now', act.syncNow, ui, { id: 'sync-now', kind: 'primary' }),
      state.status.kind === 'paused' ? button('Resume', act.resume, ui, { id: 'resume' }) : button('Pause', act.pause, ui, { id: 'pause' }),
    ),
  );
}

function connectSection(state: SidebarState, ui: UiState, act: Actions): HTMLElement {
  return h(
    'section',
    { id: 'connect' },
    h('h2', {}, state.connected ? 'Relay' : 'Connect to a relay'),
    state.connected ? h('p', { class: 'muted' }, `Connected to ${state.relayUrl}`) : h('p', { class: 'muted' }, 'The relay passes this sheet’s changes to Figma. Ask whoever runs it for its address.'),
    h('label', { for: 'relay-url' }, 'Relay address'),
    h('input', { type: 'text', id: 'relay-url', placeholder: 'https://relay.example.com', value: ui.relayUrlDraft, oninput: (e) => act.draftRelayUrl((e.target as HTMLInputElement).value) }),
    h('button', { class: 'link', id: 'toggle-key', onclick: act.toggleKey }, ui.showKey ? 'Hide registration key' : 'This relay needs a registration key'),
    ui.showKey
      ? h('div', {}, h('label', { for: 'registration-key' }, 'Registration key'), h('input', { type: 'password', id: 'registration-key', value: ui.keyDraft, oninput: (e) => act.draftKey((e.target as HTMLInputElement).value) }))
      : null,
    h('div', { class: 'actions' }, button(state.connected ? 'Connect again' : 'Connect', act.connect, ui, { id: 'connect-button', kind: state.connected ? undefined : 'primary' })),
  );
}

function pairingSection(state: SidebarState, ui: UiState, act: Actions): HTMLElement | null {
  if (!state.pairingCode) return null;
  return h(
    'section',
    { id: 'pairing' },
    h('h2', {}, 'Pairing code'),
    h('p', { class: 'muted' }, 'Paste it into the Figma plugin to follow this sheet. It carries no secret: rotate the key to revoke it.'),
    h('textarea', { class: 'code', id: 'pairing-code', readonly: true, onclick: (e) => (e.target as HTMLTextAreaElement).select() }, state.pairingCode),
    h('div', { class: 'actions' }, button(ui.copied ? 'Copied' : 'Copy', act.copy, ui, { id: 'copy' })),
  );
}

function tabsSection(state: SidebarState, ui: UiState, act: Actions): HTMLElement {
  const selected = () => state.tabs.filter((t) => (document.getElementById(`tab-${t.tabId}`) as HTMLInputElement | null)?.checked).map((t) => t.tabId);
  return h(
    'section',
    { id: 'tabs' },
    h('h2', {}, 'Tabs that sync'),
    state.tabsMode === 'auto' ? h('p', { class: 'muted' }, 'Every tab with a Name header in row 1 (until you choose).') : null,
    h(
      'ul',
      {},
      ...state.tabs.map((t) =>
        h(
          'li',
          { class: 'tab' },
          h('input', { type: 'checkbox', id: `tab-${t.tabId}`, checked: t.synced, disabled: !!ui.busy, onchange: () => act.setTabs(selected()) }),
          h('label', { for: `tab-${t.tabId}`, class: 'grow', style: 'margin:0;color:inherit;font-size:13px' }, t.name),
          t.hasNameHeader ? null : h('span', { class: 'badge', title: 'Row 1 has no Name header' }, 'no Name'),
        ),
      ),
    ),
  );
}

function filesSection(state: SidebarState, ui: UiState, act: Actions): HTMLElement | null {
  if (!state.connected) return null;
  const files = state.files;
  return h(
    'section',
    { id: 'files' },
    h('div', { class: 'row' }, h('h2', { class: 'grow' }, 'Figma files'), button('Refresh', act.refresh, ui, { id: 'refresh', kind: 'link' })),
    state.filesError ? h('p', { class: 'error-text' }, state.filesError) : null,
    files === undefined ? h('p', { class: 'muted' }, 'Refresh to see which Figma files follow this sheet.') : null,
    files && !files.length ? h('p', { class: 'muted' }, 'No Figma file is open on this sheet right now.') : null,
    files && files.length
      ? h(
          'ul',
          {},
          ...files.map((f) =>
            h(
              'li',
              { class: 'file' },
              h('div', {}, f.name),
              h(
                'div',
                { class: 'muted' },
                `${behindText(f.behind)}${f.appliedSeq !== undefined ? ` (seq ${f.appliedSeq})` : ''}${f.appliedAt ? ` · ${timeAgo(f.appliedAt, ui.now)}` : ''}${f.errorCount ? ` · ${f.errorCount} problem${f.errorCount === 1 ? '' : 's'}` : ''}`,
              ),
            ),
          ),
        )
      : null,
  );
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

function importResult(ui: UiState, act: Actions): HTMLElement | null {
  const r = ui.imported;
  if (!r || r.needsConfirmation) return null;
  const errors = r.problems.filter((p) => p.severity === 'error').length;
  return h(
    'div',
    { class: 'banner info', id: 'import-result' },
    h('p', {}, `Imported from ${r.fileName}: ${r.tabs.map((t) => `${t.name} (${plural(t.rows, 'row')}, ${t.how})`).join(', ')}.`),
    h(
      'p',
      { class: 'muted' },
      r.synced
        ? 'Sent to Figma: the file that offered them adopts its collections as they are, with every binding.'
        : 'Not sent yet (the sheet is paused or not connected): sending it lets the Figma file adopt its collections.',
    ),
    r.problems.length
      ? h(
          'div',
          {},
          h('p', {}, `${plural(r.problems.length, 'thing')} the tabs could not carry exactly${errors ? ` (${plural(errors, 'row or collection')} left out, unchanged in Figma)` : ''}:`),
          h('ul', { id: 'import-problems' }, ...r.problems.slice(0, 50).map((p) => h('li', { class: 'muted' }, `${p.cell ? `${p.tab}!${p.cell}` : p.tab}: ${p.message}`))),
        )
      : null,
    h('div', { class: 'actions' }, h('button', { id: 'close-import', onclick: act.closeImport }, 'OK')),
  );
}

function offersSection(state: SidebarState, ui: UiState, act: Actions): HTMLElement | null {
  const offers = state.offers;
  if (!state.connected || ((!offers || offers.length === 0) && !ui.imported)) return null;
  return h(
    'section',
    { id: 'offers' },
    h('h2', {}, 'From Figma'),
    ...(offers ?? []).map((o) =>
      h(
        'div',
        { class: 'offer' },
        h('p', { class: 'offer-line' }, 'Figma file ', h('em', {}, o.fileName), ` offered ${plural(o.collections, 'collection')} (${plural(o.variables, 'variable')})`),
        h('p', { class: 'muted' }, `Sent ${timeAgo(o.at, ui.now)}, kept on the relay ${timeLeft(o.expiresAt, ui.now)}. Import writes each collection as a tab; a tab of the same name with content is replaced only if you confirm.`),
        h('div', { class: 'actions' }, button('Import', () => act.importOffer(o), ui, { id: `import-${o.id}`, kind: 'primary' })),
      ),
    ),
    importResult(ui, act),
  );
}

function problemsSection(state: SidebarState, act: Actions): HTMLElement {
  const more = state.problemCount - state.problems.length;
  return h(
    'section',
    { id: 'problems' },
    h('h2', {}, `Problems${state.problemCount ? ` (${state.problemCount})` : ''}`),
    state.problemCount ? null : h('p', { class: 'muted' }, 'None found in the synced tabs.'),
    h(
      'ul',
      {},
      ...state.problems.map((p) =>
        h(
          'li',
          {},
          h(
            'button',
            { class: 'link problem', onclick: () => act.select(p), title: 'Show this cell' },
            h('span', { class: `badge ${p.severity}` }, p.source === 'figma' ? `Figma: ${p.file ?? ''}` : p.severity),
            ' ',
            h('span', { class: 'where' }, p.cell ? `${p.tab}!${p.cell}` : p.tab),
            ' ',
            p.message,
          ),
        ),
      ),
    ),
    more > 0 ? h('p', { class: 'muted' }, `…and ${more} more.`) : null,
  );
}

function triggersLine(state: SidebarState): HTMLElement | null {
  const t = state.triggers;
  if (!state.connected || !t) return null;
  return h(
    'p',
    { class: 'muted', id: 'trigger-count' },
    `Your triggers: ${t.here} here, ${t.total} of ${t.limit} across your documents · ${t.connectedUsers} ${t.connectedUsers === 1 ? 'person' : 'people'} connected here`,
  );
}

const MARKS = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' } as const;

function setupSection(state: SidebarState, ui: UiState, act: Actions): HTMLElement {
  const report = ui.report;
  return h(
    'section',
    { id: 'setup' },
    h('div', { class: 'row' }, h('h2', { class: 'grow' }, 'Check setup'), button('Run checks', act.checkSetup, ui, { id: 'check-setup', kind: 'link' })),
    triggersLine(state),
    report
      ? h(
          'div',
          {},
          h('ul', { id: 'setup-steps' }, ...report.steps.map((s) => h('li', { class: `step ${s.result}` }, h('span', { class: 'mark' }, MARKS[s.result]), h('span', { class: 'grow' }, `${s.name}: ${s.detail}`)))),
          h('textarea', { class: 'report', id: 'setup-report', readonly: true, onclick: (e) => (e.target as HTMLTextAreaElement).select() }, report.text),
          h('div', { class: 'actions' }, button(ui.reportCopied ? 'Copied' : 'Copy report', act.copyReport, ui, { id: 'copy-report' })),
        )
      : h('p', { class: 'muted' }, 'Runs every check it can (authorization, triggers, relay, signature, queue) and gives one report to copy into an issue. Nothing secret is in it.'),
  );
}

function keySection(state: SidebarState, ui: UiState, act: Actions): HTMLElement | null {
  if (!state.connected) return null;
  return h(
    'section',
    { id: 'danger' },
    h('h2', {}, 'Key and connection'),
    h('p', { class: 'muted' }, 'Rotating the key stops every pairing code given out so far; share the new one.'),
    h('div', { class: 'actions' }, button('Rotate key', act.rotate, ui, { id: 'rotate' }), button('Disconnect', act.disconnect, ui, { id: 'disconnect', kind: 'danger' })),
  );
}

export function render(state: SidebarState | undefined, ui: UiState, act: Actions): HTMLElement {
  if (!state) return h('div', {}, ui.error ? h('p', { class: 'error-text' }, ui.error) : h('p', { class: 'muted' }, 'Loading…'));
  return h(
    'div',
    {},
    state.connected ? statusSection(state, ui, act) : null,
    ui.error ? h('p', { class: 'error-text', id: 'error', role: 'alert' }, ui.error) : null,
    ui.notice ? h('p', { class: 'muted', id: 'notice' }, ui.notice) : null,
    offersSection(state, ui, act),
    pairingSection(state, ui, act),
    connectSection(state, ui, act),
    tabsSection(state, ui, act),
    filesSection(state, ui, act),
    problemsSection(state, act),
    setupSection(state, ui, act),
    keySection(state, ui, act),
  );
}
