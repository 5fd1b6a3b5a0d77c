// Draws the view state into the page: the pairing screen or the connected view. Every text goes in
// through textContent, never as HTML, since sheet names and messages come from other people.

import type { AdoptedView, AdoptionView, DiagnosticStep } from '../../shared/plan/plugin-messages';
import { csvFileName } from '../../shared/sheet/delimited-text';
import type { Problem } from '../../shared/protocol/messages';
import type { Intents } from './controller';
import { clockTime, duration, plural, problemLine, relayHost } from './format';
import { describeStatus, type StatusView } from './status-text';
import type { ViewState } from './view-state';

type Child = Node | string | false | null | undefined;
interface Attrs {
  class?: string;
  test?: string;
  title?: string;
  type?: string;
  placeholder?: string;
  disabled?: boolean;
  checked?: boolean;
  value?: string;
  rows?: number;
  role?: string;
  ariaLive?: 'polite';
  style?: string;
  readonly?: boolean;
  on?: { [K in keyof HTMLElementEventMap]?: (event: HTMLElementEventMap[K]) => void };
}

/** Creates an element with attributes and children (strings become text nodes). */
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs.class) el.className = attrs.class;
  if (attrs.test) el.dataset.test = attrs.test;
  if (attrs.title) el.title = attrs.title;
  if (attrs.role) el.setAttribute('role', attrs.role);
  if (attrs.ariaLive) el.setAttribute('aria-live', attrs.ariaLive);
  if (attrs.style) el.setAttribute('style', attrs.style);
  if (attrs.type) el.setAttribute('type', attrs.type);
  if (attrs.placeholder) el.setAttribute('placeholder', attrs.placeholder);
  if (attrs.rows) el.setAttribute('rows', String(attrs.rows));
  if (attrs.disabled) el.setAttribute('disabled', '');
  if (attrs.readonly) el.setAttribute('readonly', '');
  if (attrs.value !== undefined) (el as HTMLInputElement).value = attrs.value;
  if (attrs.checked !== undefined) (el as HTMLInputElement).checked = attrs.checked;
  for (const [name, handler] of Object.entries(attrs.on ?? {})) el.addEventListener(name, handler as EventListener);
  for (const child of children) if (child !== false && child !== null && child !== undefined) el.append(child);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** A 12px severity icon: a circle for errors, a triangle for warnings. */
function severityIcon(severity: Problem['severity']): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 12 12');
  svg.setAttribute('class', `icon icon-${severity}`);
  svg.setAttribute('aria-hidden', 'true');
  const shape = document.createElementNS(SVG_NS, 'path');
  shape.setAttribute('d', severity === 'error' ? 'M6 0.5a5.5 5.5 0 1 1 0 11a5.5 5.5 0 0 1 0-11z' : 'M6 0.8l5.6 10.2H0.4z');
  shape.setAttribute('class', 'icon-shape');
  const mark = document.createElementNS(SVG_NS, 'path');
  mark.setAttribute('d', severity === 'error' ? 'M6 3v3.6M6 8.3v0.4' : 'M6 4.4v3M6 8.9v0.3');
  mark.setAttribute('class', 'icon-mark');
  svg.append(shape, mark);
  return svg;
}

function button(label: string, test: string, onClick: () => void, kind: 'primary' | 'secondary' | 'subtle' | 'danger' = 'secondary', disabled = false): HTMLButtonElement {
  return h('button', { class: `button button-${kind}`, test, type: 'button', disabled, on: { click: onClick } }, label);
}

function toggle(label: string, test: string, checked: boolean, onChange: (checked: boolean) => void, hint: string): HTMLElement {
  const input = h('input', { type: 'checkbox', test, checked, on: { change: () => onChange(input.checked) } });
  return h('label', { class: 'toggle' }, input, h('span', { class: 'switch', role: 'presentation' }), h('span', { class: 'toggle-text' }, h('span', {}, label), h('span', { class: 'hint' }, hint)));
}

function pairingForm(view: ViewState, intents: Intents, compact: boolean): HTMLElement {
  const field = h('textarea', {
    class: 'code-field',
    test: 'pairing-code',
    rows: compact ? 2 : 3,
    placeholder: 'sfs1.…',
    value: view.draft,
    on: {
      input: () => intents.setDraft(field.value),
      paste: (event) => {
        // Pasting a whole code connects at once; anything else waits for the button.
        const text = event.clipboardData?.getData('text') ?? '';
        if (text.trim().startsWith('sfs1.')) {
          event.preventDefault();
          intents.pair(text);
        }
      },
      keydown: (event) => {
        if (event.key === 'Enter' && !event.shiftKey) {
          event.preventDefault();
          intents.pair(field.value);
        }
      },
    },
  });
  field.setAttribute('spellcheck', 'false');
  field.setAttribute('aria-label', 'Pairing code');
  return h(
    'div',
    { class: 'pairing-form' },
    field,
    view.pairingError ? h('p', { class: 'field-error', test: 'pairing-error', role: 'alert' }, view.pairingError) : null,
    h('div', { class: 'actions' }, button('Connect', 'connect', () => intents.pair(field.value), 'primary')),
  );
}

function linkHintNote(view: ViewState): HTMLElement | null {
  const hint = view.linkHint;
  if (!hint) return null;
  const sheet = hint.title ? `the sheet “${hint.title}”` : 'a sheet';
  return h(
    'p',
    { class: 'callout callout-warning', test: 'link-hint' },
    `This file was linked to ${sheet} on ${relayHost(hint.relayUrl)}, but this version of the plugin cannot read the pairing code saved with it (the plugin’s id changed when it was published). Paste that sheet’s pairing code again.`,
  );
}

function pairingScreen(view: ViewState, intents: Intents): HTMLElement {
  return h(
    'main',
    { class: 'screen pairing', test: 'pairing-screen' },
    h('h1', {}, 'Connect a Google Sheet'),
    h(
      'p',
      { class: 'secondary' },
      'In the sheet, open the add-on’s sidebar and copy its pairing code, then paste it here. The link is saved in this Figma file, so everyone who opens the plugin here gets the same sheet.',
    ),
    linkHintNote(view),
    pairingForm(view, intents, false),
    h(
      'p',
      { class: 'secondary' },
      'Starting from the variables this file has? Export them as sheet tabs first: copy or download them now, or send them once the sheet is connected.',
    ),
    h(
      'div',
      { class: 'actions actions-start' },
      button('Export variables', 'open-export', () => intents.openExport(), 'subtle'),
      button('Diagnostics', 'open-diagnostics', () => intents.openDiagnostics(), 'subtle'),
    ),
  );
}

function statusCard(status: StatusView, view: ViewState, intents: Intents): HTMLElement {
  return h(
    'section',
    { class: `status tone-${status.tone}`, test: 'status', ariaLive: 'polite' },
    h(
      'div',
      { class: 'status-row' },
      h('span', { class: 'dot', test: 'status-dot' }),
      h('strong', { class: 'status-label', test: 'status-label' }, status.label),
      h('span', { class: 'spacer' }),
      status.retry === 'now' ? button('Retry now', 'retry-now', () => intents.retryNow(), 'subtle') : null,
      status.retry === 'again' ? button('Try again', 'try-again', () => intents.tryAgain(), 'subtle') : null,
    ),
    status.message ? h('p', { class: 'status-message', test: 'status-message' }, status.message) : null,
    status.next ? h('p', { class: 'status-next', test: 'status-next' }, status.next) : null,
    status.repair ? pairingForm(view, intents, true) : null,
  );
}

function sheetSection(view: ViewState): HTMLElement {
  const last = view.lastApply;
  const lastLine = last
    ? `Last update ${clockTime(last.at)}${last.delayMs !== undefined ? ` · ${duration(last.delayMs)} after the edit` : ''}`
    : 'No update applied yet';
  const counts = last?.counts;
  const tile = (n: number | undefined, label: string, test: string) =>
    h('div', { class: 'count', test }, h('span', { class: 'count-n' }, n === undefined ? '–' : String(n)), h('span', { class: 'count-label' }, label));
  return h(
    'section',
    { class: 'sheet' },
    h('div', { class: 'sheet-title', test: 'sheet-title', title: view.title ?? '' }, view.title ?? 'Waiting for the sheet…'),
    h('div', { class: 'secondary', test: 'last-update' }, lastLine),
    h(
      'div',
      { class: 'counts' },
      tile(counts?.created, 'created', 'count-created'),
      tile(counts?.updated, 'updated', 'count-updated'),
      tile(counts?.unchanged, 'unchanged', 'count-unchanged'),
    ),
    view.progress ? progressBar(view.progress) : null,
    view.unapplied && view.settings.paused
      ? h('p', { class: 'note', test: 'held-back' }, 'Newer changes from the sheet are waiting; they apply when you resume.')
      : null,
  );
}

function progressBar(progress: { done: number; total: number }): HTMLElement {
  const pct = progress.total > 0 ? Math.min(100, Math.round((progress.done / progress.total) * 100)) : 0;
  return h(
    'div',
    { class: 'progress', test: 'progress', role: 'progressbar' },
    h('div', { class: 'progress-track' }, h('div', { class: 'progress-fill', style: `width:${pct}%` })),
    h('span', { class: 'secondary' }, `Applying ${progress.done} of ${progress.total} changes`),
  );
}

function settingsSection(view: ViewState, intents: Intents): HTMLElement {
  return h(
    'section',
    { class: 'settings' },
    toggle('Pause live updates', 'pause', view.settings.paused, (on) => intents.setPaused(on), 'Keep receiving; apply the newest state when resumed.'),
    toggle('Review changes before applying', 'review', view.settings.review, (on) => intents.setReview(on), 'Show what would change and wait for Apply.'),
  );
}

const SHOWN_LINES = 100;

function pendingSection(view: ViewState, intents: Intents): HTMLElement | null {
  const pending = view.pending;
  if (!pending) return null;
  const { total, lines } = pending.summary;
  const more = total - Math.min(lines.length, SHOWN_LINES);
  return h(
    'section',
    { class: 'pending', test: 'pending' },
    h('h2', {}, `${plural(total, 'change')} waiting for review`),
    h('ul', { class: 'lines' }, ...lines.slice(0, SHOWN_LINES).map((line) => h('li', {}, line))),
    more > 0 ? h('p', { class: 'secondary' }, `and ${more} more`) : null,
    h(
      'div',
      { class: 'actions' },
      button('Discard', 'discard', () => intents.discardPending(), 'secondary'),
      button('Apply changes', 'approve', () => intents.approvePending(), 'primary'),
    ),
  );
}

function driftSection(view: ViewState, intents: Intents): HTMLElement | null {
  const drift = view.drift;
  if (!drift) return null;
  const { total, lines } = drift.summary;
  const more = total - Math.min(lines.length, SHOWN_LINES);
  const heading = drift.state === 'reset' ? 'Put back to the sheet’s values' : 'Changed in Figma';
  const explain =
    drift.state === 'reset'
      ? 'These were changed in Figma (an undo, an edit or a collaborator); the sheet is the source of truth, so its values were written again.'
      : drift.state === 'review'
        ? 'These were changed in Figma and now differ from the sheet. Put them back to the sheet’s values?'
        : 'These were changed in Figma and differ from the sheet. Live updates are paused, so they stay as they are until you resume.';
  return h(
    'section',
    { class: `drift drift-${drift.state}`, test: 'drift' },
    h('h2', {}, heading, h('span', { class: 'h2-note' }, plural(total, 'change'))),
    h('p', { class: 'secondary' }, explain),
    h('ul', { class: 'lines', test: 'drift-lines' }, ...lines.slice(0, SHOWN_LINES).map((line) => h('li', {}, line))),
    more > 0 ? h('p', { class: 'secondary' }, `and ${more} more`) : null,
    drift.problems.length > 0 ? h('ul', { class: 'problem-list' }, ...drift.problems.slice(0, SHOWN_LINES).map((p) => h('li', { class: `problem problem-${p.severity}` }, severityIcon(p.severity), h('span', { class: 'problem-text' }, problemLine(p))))) : null,
    h(
      'div',
      { class: 'actions' },
      drift.state === 'review' ? button('Leave for now', 'dismiss-drift', () => intents.dismissDrift(), 'secondary') : null,
      drift.state === 'review' ? button('Put back', 'approve-drift', () => intents.approveDrift(), 'primary') : button('OK', 'close-drift', () => intents.closeDrift(), 'secondary'),
    ),
  );
}

/** Figma's own refusals carry FIGMA_* codes; everything else comes from the sheet. */
const fromFigma = (p: Problem): boolean => (p.code ?? '').startsWith('FIGMA_');

function problemsSection(view: ViewState): HTMLElement | null {
  if (!view.lastApply && view.problems.length === 0) return null;
  const errors = view.problems.filter((p) => p.severity === 'error').length;
  const warnings = view.problems.length - errors;
  // Errors first, each group in the sheet's order.
  const sorted = [...view.problems.filter((p) => p.severity === 'error'), ...view.problems.filter((p) => p.severity === 'warning')];
  const summary = [errors ? plural(errors, 'error') : '', warnings ? plural(warnings, 'warning') : ''].filter(Boolean).join(', ');
  return h(
    'section',
    { class: 'problems', test: 'problems' },
    h('h2', {}, 'Problems', summary ? h('span', { class: 'h2-note', test: 'problems-summary' }, summary) : null),
    view.problems.length === 0 ? h('p', { class: 'secondary', test: 'no-problems' }, 'None: every row of the sheet was applied.') : null,
    h(
      'ul',
      { class: 'problem-list' },
      ...sorted.slice(0, SHOWN_LINES).map((p) =>
        h(
          'li',
          { class: `problem problem-${p.severity}`, test: 'problem', title: p.code ?? '' },
          severityIcon(p.severity),
          h('span', { class: 'problem-text' }, problemLine(p)),
          fromFigma(p) ? h('span', { class: 'tag' }, 'Figma') : null,
        ),
      ),
    ),
    sorted.length > SHOWN_LINES ? h('p', { class: 'secondary' }, `and ${sorted.length - SHOWN_LINES} more (the sheet’s sidebar lists them too)`) : null,
  );
}

function orphansSection(view: ViewState, intents: Intents): HTMLElement | null {
  if (view.orphans.length === 0) return null;
  return h(
    'section',
    { class: 'orphans', test: 'orphans' },
    h(
      'h2',
      {},
      'Orphaned variables',
      h('span', { class: 'h2-note' }, String(view.orphans.length)),
      h('span', { class: 'spacer' }),
      view.orphans.length > 1
        ? button('Remove all', 'remove-all-orphans', () => intents.removeOrphans(view.orphans.map((o) => o.variableId)), 'subtle', view.removing)
        : null,
    ),
    h('p', { class: 'secondary' }, 'Their rows are gone from the sheet. The sync never deletes variables on its own.'),
    h(
      'ul',
      { class: 'orphan-list' },
      ...view.orphans.slice(0, SHOWN_LINES).map((o) =>
        h(
          'li',
          { class: 'orphan', test: 'orphan' },
          h('span', { class: 'orphan-name' }, o.name),
          h('span', { class: 'secondary orphan-collection' }, o.collectionName),
          h('span', { class: 'spacer' }),
          button('Remove', 'remove-orphan', () => intents.removeOrphans([o.variableId]), 'subtle', view.removing),
        ),
      ),
    ),
    view.orphans.length > SHOWN_LINES ? h('p', { class: 'secondary' }, `and ${view.orphans.length - SHOWN_LINES} more`) : null,
  );
}

/** "Colors: adopt 118 existing variables, create 4, 7 values will change to the sheet's, 2 variables exist only in Figma and stay untouched". */
export function adoptionLine(a: AdoptionView): string {
  const parts = [`adopt ${plural(a.adopted, 'existing variable')}`, `create ${a.created}`, `${plural(a.valuesChanged, 'value')} will change to the sheet’s`];
  if (a.detailsChanged > 0) parts.push(`${plural(a.detailsChanged, 'detail')} (descriptions, scopes, code syntax) will change`);
  const onlyInFigma = a.figmaOnlyCount === 1 ? '1 variable exists only in Figma and stays untouched' : `${a.figmaOnlyCount} variables exist only in Figma and stay untouched`;
  parts.push(onlyInFigma);
  return `${a.tab}: ${parts.join(', ')}`;
}

/** "Colors: adopted 122 variables, 0 values changed". */
export function adoptedLine(a: AdoptedView): string {
  const extra = [a.created > 0 ? `${a.created} created` : '', a.figmaOnlyCount > 0 ? `${a.figmaOnlyCount} only in Figma left untouched` : '', a.modesKept.length > 0 ? `mode${a.modesKept.length === 1 ? '' : 's'} ${a.modesKept.join(', ')} kept` : '']
    .filter(Boolean)
    .join(', ');
  return `${a.tab}: adopted ${plural(a.adopted, 'variable')}, ${plural(a.valuesChanged, 'value')} changed${extra ? ` (${extra})` : ''}`;
}

function adoptionSection(view: ViewState, intents: Intents): HTMLElement | null {
  const waiting = view.adoptions;
  if (waiting.length === 0) return null;
  const busy = view.adopting !== undefined;
  const open = waiting.filter((a) => !a.declined);
  return h(
    'section',
    { class: 'adoption', test: 'adoption' },
    h('h2', {}, 'Adopt existing collections', h('span', { class: 'h2-note' }, String(waiting.length))),
    h(
      'p',
      { class: 'secondary' },
      'The sheet has tabs named like collections this file already has. Adopting makes them the sheet’s: the variables keep their ids, so every layer stays bound, and from then on they follow the sheet. Nothing is removed; until you adopt, those tabs are not synced.',
    ),
    ...waiting.map((a) =>
      h(
        'div',
        { class: `adoption-item${a.declined ? ' adoption-declined' : ''}`, test: 'adoption-item' },
        h('p', { test: 'adoption-line' }, adoptionLine(a)),
        a.modesKept.length > 0 || a.modesAdded.length > 0
          ? h(
              'p',
              { class: 'secondary' },
              [a.modesAdded.length > 0 ? `New mode${a.modesAdded.length === 1 ? '' : 's'}: ${a.modesAdded.join(', ')}.` : '', a.modesKept.length > 0 ? `Kept as ${a.modesKept.length === 1 ? 'it is' : 'they are'} (no column in the sheet): ${a.modesKept.join(', ')}.` : '']
                .filter(Boolean)
                .join(' '),
            )
          : null,
        a.figmaOnly.length > 0 ? h('p', { class: 'secondary' }, `Only in Figma: ${a.figmaOnly.join(', ')}${a.figmaOnlyCount > a.figmaOnly.length ? ` and ${a.figmaOnlyCount - a.figmaOnly.length} more` : ''}.`) : null,
        a.problems.length > 0
          ? h('ul', { class: 'problem-list' }, ...a.problems.map((p) => h('li', { class: `problem problem-${p.severity}`, test: 'adoption-problem' }, severityIcon(p.severity), h('span', { class: 'problem-text' }, problemLine(p)))))
          : null,
        a.lines.length > 0
          ? h('details', {}, h('summary', {}, `What adopting writes (${plural(a.lines.length, 'change')})`), h('ul', { class: 'lines' }, ...a.lines.map((line) => h('li', {}, line))))
          : null,
        a.declined ? h('p', { class: 'note', test: 'adoption-later' }, 'Not adopted: the file is unchanged and this tab is not synced. Choose Adopt whenever you are ready.') : null,
        h(
          'div',
          { class: 'actions' },
          a.declined ? null : button('Not now', 'decline-adoption', () => intents.declineAdoption([a.collectionId]), 'secondary', busy),
          button(busy && view.adopting!.includes(a.collectionId) ? 'Adopting…' : 'Adopt', 'adopt', () => intents.adopt([a.collectionId]), 'primary', busy),
        ),
      ),
    ),
    open.length > 1 ? h('div', { class: 'actions' }, button('Adopt all', 'adopt-all', () => intents.adopt(open.map((a) => a.collectionId)), 'primary', busy)) : null,
    busy && view.settings.paused ? h('p', { class: 'note' }, 'Live updates are paused: adopting happens when you resume.') : null,
  );
}

function adoptedNote(view: ViewState, intents: Intents): HTMLElement | null {
  const adopted = view.adopted;
  if (!adopted || adopted.length === 0) return null;
  const exported = adopted.every((a) => a.exported);
  return h(
    'section',
    { class: 'adopted', test: 'adopted' },
    h('h2', {}, 'Adopted'),
    h('p', { class: 'secondary' }, exported ? 'This file sent these collections to the sheet, so the sync adopted them without asking; every binding stays.' : 'These collections are the sheet’s now; every binding stays.'),
    h('ul', {}, ...adopted.map((a) => h('li', { test: 'adopted-line' }, adoptedLine(a)))),
    h('div', { class: 'actions' }, button('OK', 'close-adopted', () => intents.closeAdopted(), 'secondary')),
  );
}

function connectedScreen(view: ViewState, intents: Intents): HTMLElement {
  const relayUrl = view.link?.relayUrl ?? '';
  const status = describeStatus(view.connection, relayUrl, view.settings.paused, view.now);
  return h(
    'main',
    { class: 'screen connected', test: 'connected-screen' },
    statusCard(status, view, intents),
    view.mainError ? h('p', { class: 'callout callout-error', test: 'main-error', role: 'alert' }, view.mainError) : null,
    adoptionSection(view, intents),
    adoptedNote(view, intents),
    sheetSection(view),
    driftSection(view, intents),
    pendingSection(view, intents),
    settingsSection(view, intents),
    problemsSection(view),
    orphansSection(view, intents),
    h(
      'footer',
      {},
      h('span', { class: 'secondary footer-text', title: relayUrl }, `Relay ${relayHost(relayUrl)}`),
      h('span', { class: 'spacer' }),
      button('Send to sheet', 'open-export', () => intents.openExport(), 'subtle'),
      button('Diagnostics', 'open-diagnostics', () => intents.openDiagnostics(), 'subtle'),
      button('Unlink', 'unlink', () => intents.unlink(), 'danger'),
    ),
  );
}

const RESULT_WORDS: Record<DiagnosticStep['result'], string> = { ok: 'OK', warning: 'Warning', failed: 'Failed', skipped: 'Skipped' };

/** Copies the report: the clipboard API where the window may use it, else the selected text. */
function copyReport(field: HTMLTextAreaElement, report: string, intents: Intents): void {
  const bySelection = () => {
    field.focus();
    field.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    // Copied: let go of the selection; otherwise leave it, for the designer to copy.
    if (copied) field.setSelectionRange(0, 0);
    intents.reportCopied(copied ? 'copied' : 'select');
  };
  // Figma's window may not grant clipboard-write; selecting the text then copying works there.
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(report).then(() => intents.reportCopied('copied'), bySelection);
  else bySelection();
}

function diagnosticsScreen(view: ViewState, intents: Intents): HTMLElement {
  const d = view.diagnostics!;
  const field = h('textarea', { class: 'code-field report', test: 'diagnostics-report', rows: 8, readonly: true, value: d.report ?? '' });
  field.setAttribute('aria-label', 'Diagnostics report');
  field.setAttribute('spellcheck', 'false');
  return h(
    'main',
    { class: 'screen diagnostics', test: 'diagnostics' },
    h('section', {}, h('h1', {}, 'Diagnostics'), h('p', { class: 'secondary' }, d.running ? 'Running each step…' : 'Every step ran. Copy the report into your issue; it holds no pairing code or token.')),
    h(
      'section',
      {},
      h(
        'ul',
        { class: 'steps' },
        ...d.steps.map((step) =>
          h(
            'li',
            { class: `step step-${step.result}`, test: `step-${step.id}` },
            h('span', { class: `badge badge-${step.result}` }, RESULT_WORDS[step.result]),
            h('span', { class: 'step-text' }, h('strong', {}, step.title), step.ms !== undefined ? h('span', { class: 'secondary' }, ` · ${step.ms} ms`) : null, h('br'), step.detail),
          ),
        ),
      ),
    ),
    d.report
      ? h(
          'section',
          { class: 'report-section' },
          field,
          d.copied === 'select' ? h('p', { class: 'note', test: 'copy-hint' }, 'Select the text above and copy it.') : null,
        )
      : null,
    h(
      'footer',
      {},
      button('Back', 'close-diagnostics', () => intents.closeDiagnostics(), 'secondary'),
      h('span', { class: 'spacer' }),
      button('Run again', 'rerun-diagnostics', () => intents.openDiagnostics(), 'subtle', d.running),
      button(d.copied === 'copied' ? 'Copied' : 'Copy report', 'copy-report', () => copyReport(field, d.report ?? '', intents), 'primary', !d.report),
    ),
  );
}

/** Puts text on the clipboard: the clipboard API where the window may use it, else a selected field. */
function copyText(text: string, done: (how: 'copied' | 'select') => void): void {
  const bySelection = () => {
    const field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.style.position = 'fixed';
    field.style.opacity = '0';
    document.body.append(field);
    field.select();
    let copied = false;
    try {
      copied = document.execCommand('copy');
    } catch {
      copied = false;
    }
    field.remove();
    done(copied ? 'copied' : 'select');
  };
  // Figma's window may not grant clipboard-write; selecting the text then copying works there.
  if (navigator.clipboard?.writeText) navigator.clipboard.writeText(text).then(() => done('copied'), bySelection);
  else bySelection();
}

/** Offers a file to save. Whether Figma's window allows downloads is not documented: the text is also shown to copy. */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function sendLine(view: ViewState): HTMLElement | null {
  const send = view.exporting?.send;
  if (!send) return null;
  const text =
    send.state === 'sending'
      ? `Sending (${plural(send.parts, 'message')})…`
      : send.state === 'offered'
        ? `Sent. In the sheet, open the add-on’s sidebar and choose Import${send.expiresAt !== undefined ? ` (the relay keeps it for ${duration(send.expiresAt - view.now)})` : ''}; syncing it then adopts these collections without asking.`
        : send.state === 'refused'
          ? `The relay refused it${send.code ? ` (${send.code})` : ''}: ${send.message ?? ''}`
          : (send.message ?? 'Not sent.');
  const tone = send.state === 'offered' ? 'callout-ok' : send.state === 'sending' ? '' : 'callout-error';
  return h('p', { class: `callout ${tone}`, test: 'export-send', role: send.state === 'sending' ? undefined : 'status' }, text);
}

function exportScreen(view: ViewState, intents: Intents): HTMLElement {
  const e = view.exporting!;
  const connected = view.screen === 'connected' && view.connection?.to === 'live';
  const errors = e.problems.filter((p) => p.severity === 'error').length;
  const copyHint = e.copied?.how === 'select' ? e.copied.collectionId : undefined;
  const downloadedId = e.copied?.how === 'downloaded' ? e.copied.collectionId : undefined;
  const downloaded = downloadedId
    ? { file: csvFileName(e.choices.find((c) => c.collectionId === downloadedId)?.name ?? 'tab'), text: intents.exportText(downloadedId, 'csv') ?? '' }
    : undefined;
  return h(
    'main',
    { class: 'screen export', test: 'export' },
    h(
      'section',
      {},
      h('h1', {}, 'Send this file’s variables to the sheet'),
      h('p', { class: 'secondary' }, 'Each collection becomes a tab in the sheet format, with every mode as a column. Importing it into the sheet and syncing adopts the collections as they are: same variables, every binding kept.'),
    ),
    h(
      'section',
      {},
      h('h2', {}, 'Collections', h('span', { class: 'h2-note' }, 'library collections are never offered')),
      e.choices.length === 0 && !e.loading ? h('p', { class: 'secondary', test: 'export-none' }, 'This file has no local variable collections.') : null,
      h(
        'ul',
        { class: 'export-choices' },
        ...e.choices.map((c) => {
          const exported = e.collections.find((x) => x.collectionId === c.collectionId);
          const box = h('input', { type: 'checkbox', test: 'export-choice', checked: c.selected, disabled: e.loading, on: { change: () => intents.chooseExport(c.collectionId, box.checked) } });
          return h(
            'li',
            { class: 'export-choice' },
            h('label', { class: 'export-name' }, box, h('span', {}, c.name)),
            h('span', { class: 'secondary' }, exported ? `${plural(exported.variables, 'row')} · ${plural(exported.modes.length, 'mode')}` : plural(c.variables, 'variable')),
            h('span', { class: 'spacer' }),
            exported ? button('Copy', 'copy-tsv', () => copyText(intents.exportText(c.collectionId, 'tsv') ?? '', (how) => intents.exportCopied(c.collectionId, how)), 'subtle', e.loading) : null,
            exported
              ? button(
                  'CSV',
                  'download-csv',
                  () => {
                    download(csvFileName(c.name), intents.exportText(c.collectionId, 'csv') ?? '');
                    intents.exportCopied(c.collectionId, 'downloaded');
                  },
                  'subtle',
                  e.loading,
                )
              : null,
          );
        }),
      ),
      e.loading ? h('p', { class: 'secondary', test: 'export-loading' }, 'Reading the file…') : null,
      e.copied?.how === 'copied' ? h('p', { class: 'note-ok', test: 'export-copied' }, 'Copied: paste it into cell A1 of an empty tab named like the collection.') : null,
      downloaded
        ? h(
            'div',
            { test: 'export-downloaded' },
            h('p', { class: 'note-ok' }, `Saving ${downloaded.file}.`),
            // Whether Figma's window lets a plugin save files is not documented (a sandboxed frame needs
            // allow-downloads): the same text is here to copy into a file of that name.
            h('details', {}, h('summary', {}, 'No file arrived? Copy the CSV text'), h('textarea', { class: 'code-field report', test: 'csv-fallback', rows: 4, readonly: true, value: downloaded.text })),
          )
        : null,
      copyHint ? h('textarea', { class: 'code-field report', test: 'copy-fallback', rows: 4, readonly: true, value: intents.exportText(copyHint, 'tsv') ?? '' }) : null,
      copyHint ? h('p', { class: 'note', test: 'copy-hint' }, 'Select the text above and copy it, then paste it into cell A1 of an empty tab.') : null,
    ),
    e.problemCount > 0
      ? h(
          'section',
          { class: 'problems', test: 'export-problems' },
          h('h2', {}, 'Not carried exactly', h('span', { class: 'h2-note' }, `${plural(e.problemCount, 'problem')}${errors > 0 ? `, ${plural(errors, 'row or collection')} left out` : ''}`)),
          h('ul', { class: 'problem-list' }, ...e.problems.slice(0, SHOWN_LINES).map((p) => h('li', { class: `problem problem-${p.severity}`, test: 'export-problem' }, severityIcon(p.severity), h('span', { class: 'problem-text' }, problemLine(p))))),
          e.problemCount > Math.min(e.problems.length, SHOWN_LINES) ? h('p', { class: 'secondary' }, `and ${e.problemCount - Math.min(e.problems.length, SHOWN_LINES)} more (listed with the offer in the sheet)`) : null,
        )
      : null,
    sendLine(view),
    h(
      'footer',
      {},
      button('Back', 'close-export', () => intents.closeExport(), 'secondary'),
      h('span', { class: 'spacer' }),
      e.bytes !== undefined ? h('span', { class: 'secondary', test: 'export-size' }, `${Math.max(1, Math.round(e.bytes / 1024))} KB`) : null,
      button(
        'Send to the sheet',
        'send-export',
        () => intents.sendExport(),
        'primary',
        !connected || !e.offerText || e.loading || e.send?.state === 'sending',
      ),
    ),
  );
}

/** Replaces the page's content with the view, keeping focus and the caret in the field being edited. */
export function render(root: HTMLElement, view: ViewState, intents: Intents): void {
  const active = document.activeElement as HTMLTextAreaElement | null;
  const focused = active && root.contains(active) ? { test: active.dataset.test, start: active.selectionStart, end: active.selectionEnd } : undefined;
  let screen: HTMLElement;
  if (view.diagnostics) screen = diagnosticsScreen(view, intents);
  else if (view.exporting) screen = exportScreen(view, intents);
  else if (view.screen === 'pairing') screen = pairingScreen(view, intents);
  else if (view.screen === 'connected') screen = connectedScreen(view, intents);
  else screen = h('main', { class: 'screen starting', test: 'starting' }, h('p', { class: 'secondary' }, 'Starting…'));
  root.replaceChildren(screen);
  if (focused?.test) {
    const again = root.querySelector<HTMLTextAreaElement>(`[data-test="${focused.test}"]`);
    if (again) {
      again.focus();
      if (typeof again.setSelectionRange === 'function' && focused.start !== null && focused.end !== null) {
        try {
          again.setSelectionRange(focused.start, focused.end);
        } catch {
          // Buttons and checkboxes have no caret.
        }
      }
    }
  }
}
