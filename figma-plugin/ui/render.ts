// Draws the view state into the page: the pairing screen or the connected view. Every text goes in
// through textContent, never as HTML, since sheet names and messages come from other people.

import type { Problem } from '../../shared/protocol';
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
    pairingForm(view, intents, false),
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

function connectedScreen(view: ViewState, intents: Intents): HTMLElement {
  const relayUrl = view.link?.relayUrl ?? '';
  const status = describeStatus(view.connection, relayUrl, view.settings.paused, view.now);
  return h(
    'main',
    { class: 'screen connected', test: 'connected-screen' },
    statusCard(status, view, intents),
    view.mainError ? h('p', { class: 'callout callout-error', test: 'main-error', role: 'alert' }, view.mainError) : null,
    sheetSection(view),
    pendingSection(view, intents),
    settingsSection(view, intents),
    problemsSection(view),
    orphansSection(view, intents),
    h(
      'footer',
      {},
      h('span', { class: 'secondary footer-text', title: relayUrl }, `Relay ${relayHost(relayUrl)}`),
      h('span', { class: 'spacer' }),
      button('Unlink', 'unlink', () => intents.unlink(), 'danger'),
    ),
  );
}

/** Replaces the page's content with the view, keeping focus and the caret in the field being edited. */
export function render(root: HTMLElement, view: ViewState, intents: Intents): void {
  const active = document.activeElement as HTMLTextAreaElement | null;
  const focused = active && root.contains(active) ? { test: active.dataset.test, start: active.selectionStart, end: active.selectionEnd } : undefined;
  let screen: HTMLElement;
  if (view.screen === 'pairing') screen = pairingScreen(view, intents);
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
