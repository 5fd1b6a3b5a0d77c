// Draws what the Figma file holds, the way Figma's Variables panel shows it: collections on the
// left, the chosen collection's variables as rows with one column per mode, colour swatches,
// numbers, strings, booleans, and aliases as references. Cells that changed since the last draw
// flash, and the view follows the latest change so a visitor sees it land.

import type { FileModel, ModelCollection, ModelValue } from '../../test/helpers/e2e-file-model';

export interface ViewState {
  /** The collection shown (by tab id); the first one when unset or gone. */
  selected?: number;
  /** Cells that changed recently: "tabId|variable|mode" → when it changed (ms). */
  changed: Map<string, number>;
  previous?: FileModel;
  orphanNames: Set<string>;
  /** A row with a recent change, to scroll into view after the draw. */
  followRow?: HTMLElement;
}

const FLASH_MS = 2600;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, ...children: (Node | string | null | undefined)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  for (const child of children) if (child !== null && child !== undefined) node.append(child);
  return node;
}

const hex2 = (x: number): string => Math.round(Math.min(1, Math.max(0, x)) * 255).toString(16).padStart(2, '0');

/** #rrggbb, with aa when not opaque. */
export function colorText(c: { r: number; g: number; b: number; a: number }): string {
  const base = `#${hex2(c.r)}${hex2(c.g)}${hex2(c.b)}`;
  return c.a < 0.999 ? `${base}${hex2(c.a)}` : base;
}

function cssColor(c: { r: number; g: number; b: number; a: number }): string {
  return `rgba(${Math.round(c.r * 255)}, ${Math.round(c.g * 255)}, ${Math.round(c.b * 255)}, ${Math.round(c.a * 1000) / 1000})`;
}

function isColor(v: ModelValue): v is { r: number; g: number; b: number; a: number } {
  return typeof v === 'object' && 'r' in v;
}

/** Follows aliases (bounded) to a final value, for the swatch next to a reference. */
function resolve(model: FileModel, value: ModelValue, mode: string, depth = 0): ModelValue | undefined {
  if (typeof value !== 'object' || !('alias' in value)) return value;
  if (depth > 10) return undefined;
  const collection = model.collections.find((c) => c.name === value.alias.collection);
  const target = collection?.variables.find((v) => v.name === value.alias.name);
  if (!collection || !target) return undefined;
  const next = target.valuesByMode[mode] ?? target.valuesByMode[collection.modes[0]!];
  return next === undefined ? undefined : resolve(model, next, collection.modes[0]!, depth + 1);
}

function valueCell(model: FileModel, value: ModelValue | undefined, mode: string): HTMLElement {
  if (value === undefined) return el('span', 'value empty', '—');
  if (typeof value === 'object' && 'alias' in value) {
    const final = resolve(model, value, mode);
    // As Figma shows a reference: a chip with the variable's name; its collection on hover.
    const chip = el('span', 'alias-chip', value.alias.name);
    chip.title = `${value.alias.collection} / ${value.alias.name}`;
    return el('span', 'value alias', final !== undefined && isColor(final) ? swatch(final) : null, chip);
  }
  if (isColor(value)) return el('span', 'value color', swatch(value), el('code', '', colorText(value)));
  if (typeof value === 'boolean') return el('span', `value boolean ${value ? 'on' : 'off'}`, el('span', 'switch'), value ? 'true' : 'false');
  if (typeof value === 'number') return el('span', 'value number', el('code', '', String(Math.round(value * 1e4) / 1e4)));
  return el('span', 'value string', value === '' ? el('em', '', 'empty') : value);
}

function swatch(c: { r: number; g: number; b: number; a: number }): HTMLElement {
  const outer = el('span', 'swatch');
  const inner = el('span', 'swatch-fill');
  inner.style.background = cssColor(c);
  outer.append(inner);
  return outer;
}

const TYPE_ICON: Record<string, string> = { COLOR: '◐', FLOAT: '#', STRING: 'T', BOOLEAN: '⊘' };

function nameCell(name: string, type: string): HTMLElement {
  const cut = name.lastIndexOf('/');
  return el(
    'span',
    'var-name',
    el('span', `type-icon type-${type.toLowerCase()}`, TYPE_ICON[type] ?? '?'),
    cut >= 0 ? el('span', 'group', name.slice(0, cut + 1)) : null,
    el('span', 'leaf', cut >= 0 ? name.slice(cut + 1) : name),
  );
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Records which cells changed between the previous model and this one; returns the newest change's tab. */
function noteChanges(state: ViewState, model: FileModel, now: number): number | undefined {
  let latest: number | undefined;
  const before = state.previous;
  // The first variables to arrive are the whole sheet: nothing to single out, so nothing flashes.
  if (before && before.collections.length > 0) {
    for (const c of model.collections) {
      const old = before.collections.find((p) => p.tabId === c.tabId);
      for (const v of c.variables) {
        const prev = old?.variables.find((p) => p.name === v.name);
        for (const mode of c.modes) {
          if (!prev || !same(prev.valuesByMode[mode], v.valuesByMode[mode])) {
            state.changed.set(`${c.tabId}|${v.name}|${mode}`, now);
            latest ??= c.tabId;
          }
        }
      }
      if (!old || old.name !== c.name) latest ??= c.tabId;
    }
  }
  for (const [key, at] of state.changed) if (now - at > FLASH_MS) state.changed.delete(key);
  state.previous = model;
  return latest;
}

function collectionList(model: FileModel, shown: ModelCollection | undefined, state: ViewState, redraw: () => void): HTMLElement {
  const list = el('nav', 'collections');
  list.append(el('div', 'collections-title', 'Collections'));
  for (const c of model.collections) {
    const item = el('button', `collection${c === shown ? ' selected' : ''}`, el('span', 'collection-name', c.name), el('span', 'collection-count', String(c.variables.length)));
    item.dataset.test = 'collection';
    item.type = 'button';
    item.addEventListener('click', () => {
      state.selected = c.tabId;
      redraw();
    });
    list.append(item);
  }
  if (model.collections.length === 0) list.append(el('p', 'muted', 'No collections yet.'));
  return list;
}

function variablesTable(model: FileModel, c: ModelCollection, state: ViewState, now: number): HTMLElement {
  const table = el('table', c.modes.length > 1 ? 'variables many-modes' : 'variables');
  table.dataset.test = 'variables';
  const head = el('tr', '', el('th', 'name-col', 'Name'), ...c.modes.map((m) => el('th', 'mode-col', m)));
  table.append(el('thead', '', head));
  const body = el('tbody');
  let firstChanged: HTMLElement | undefined;
  for (const v of c.variables) {
    const row = el('tr', state.orphanNames.has(`${c.name}|${v.name}`) ? 'orphan-row' : '');
    row.dataset.variable = v.name;
    const name = el('td', 'name-col', nameCell(v.name, v.type));
    name.title = v.description ? `${v.name} — ${v.description}` : v.name;
    row.append(name);
    for (const mode of c.modes) {
      const cell = el('td', 'mode-col', valueCell(model, v.valuesByMode[mode], mode));
      const changedAt = state.changed.get(`${c.tabId}|${v.name}|${mode}`);
      if (changedAt !== undefined) {
        cell.classList.add('changed');
        cell.style.animationDelay = `${changedAt - now}ms`;
        firstChanged ??= row;
      }
      row.append(cell);
    }
    body.append(row);
  }
  table.append(body);
  state.followRow = firstChanged;
  return table;
}

/** Keeps the table where the visitor scrolled it, or brings a row that just changed into view. */
function placeScroll(scroller: HTMLElement, previousTop: number, follow: HTMLElement | undefined): void {
  scroller.scrollTop = previousTop;
  if (!follow) return;
  const top = follow.offsetTop - 32;
  const bottom = follow.offsetTop + follow.offsetHeight;
  if (top < scroller.scrollTop || bottom > scroller.scrollTop + scroller.clientHeight) {
    scroller.scrollTop = Math.max(0, top - scroller.clientHeight / 3);
  }
}

/** Redraws the whole view into `root` from `model`. */
export function renderVariables(root: HTMLElement, model: FileModel, state: ViewState): void {
  const now = Date.now();
  const latest = noteChanges(state, model, now);
  if (latest !== undefined) state.selected = latest;
  const shown = model.collections.find((c) => c.tabId === state.selected) ?? model.collections[0];
  const redraw = (): void => renderVariables(root, model, state);
  const main = el('div', 'collection-view');
  const old = root.querySelector<HTMLElement>('.table-scroll');
  // A different collection starts at its top; the same one stays where it was.
  const previousTop = old && old.dataset.tab === String(shown?.tabId) ? old.scrollTop : 0;
  let scroller: HTMLElement | undefined;
  if (shown) {
    scroller = el('div', 'table-scroll', variablesTable(model, shown, state, now));
    scroller.dataset.tab = String(shown.tabId);
    main.append(
      el(
        'div',
        'collection-head',
        el('h3', '', shown.name),
        el('span', 'muted', `${shown.variables.length} variables · ${shown.modes.length} mode${shown.modes.length === 1 ? '' : 's'}`),
      ),
      scroller,
    );
  } else {
    main.append(el('div', 'empty-file', el('p', '', 'This Figma file has no variables yet.'), el('p', 'muted', 'They appear here as soon as the plugin applies the sheet.')));
  }
  root.replaceChildren(collectionList(model, shown, state, redraw), main);
  // Only a change made in this draw pulls the view; older flashes leave the visitor's scrolling alone.
  if (scroller) placeScroll(scroller, previousTop, latest !== undefined ? state.followRow : undefined);
}
