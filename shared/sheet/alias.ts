// Aliases: the `{color/brand/primary}` and `{Tab::color/brand/primary}` syntax, and finding the
// variable an alias points at (this tab first, then every synced tab, `Tab::` to choose one).

import { checkVariableName } from './figma-rules';
import { quote } from './mapper-problems';

/** An alias as written: `{name}` or `{Tab::name}`. */
export interface AliasRef {
  /** The tab named before `::`, if any. */
  tab?: string;
  /** The variable name (groups trimmed, as row names are). */
  name: string;
  /** The whole text between the braces, as a name: used when `Tab::` names no synced tab. */
  whole: string;
  /** The alias as written, for messages. */
  text: string;
}

export type AliasParse = { ok: true; ref: AliasRef } | { ok: false; message: string };

/** Whether trimmed cell text is meant as an alias: it starts with `{` or ends with `}`. */
export function looksLikeAlias(trimmed: string): boolean {
  return trimmed.startsWith('{') || trimmed.endsWith('}');
}

const EXAMPLE = 'write it as {color/brand/primary}, or {Primitives::color/brand/primary} to choose a tab';

/** Parses trimmed cell text that looksLikeAlias. */
export function parseAlias(trimmed: string): AliasParse {
  const inner = trimmed.startsWith('{') && trimmed.endsWith('}') ? trimmed.slice(1, -1) : undefined;
  if (inner === undefined || inner.includes('{') || inner.includes('}')) {
    return { ok: false, message: `${quote(trimmed)} is not a valid alias; ${EXAMPLE}` };
  }
  const body = inner.trim();
  if (body === '') return { ok: false, message: `${quote(trimmed)} names no variable; ${EXAMPLE}` };
  if (body.includes('.') && !body.includes('/')) {
    return {
      ok: false,
      message: `${quote(trimmed)} uses "." but Figma names group with "/"; write {${body.split('.').join('/')}}`,
    };
  }
  const whole = checkVariableName(body);
  const split = body.indexOf('::');
  if (split >= 0) {
    const tab = body.slice(0, split).trim();
    const rest = body.slice(split + 2).trim();
    if (tab === '' || rest === '') {
      return { ok: false, message: `${quote(trimmed)} needs both a tab and a name around "::"; ${EXAMPLE}` };
    }
    const name = checkVariableName(rest);
    if (!name.ok) return { ok: false, message: `${quote(trimmed)} names no valid variable: the name ${name.message}` };
    return { ok: true, ref: { tab, name: name.name, whole: whole.ok ? whole.name : name.name, text: trimmed } };
  }
  if (!whole.ok) return { ok: false, message: `${quote(trimmed)} names no valid variable: the name ${whole.message}` };
  return { ok: true, ref: { name: whole.name, whole: whole.name, text: trimmed } };
}

/** What an alias can point at: a variable of a named collection (tab). */
export interface AliasTarget {
  collection: string;
  name: string;
}

export type AliasLookup<T> =
  | { ok: true; target: T }
  | { ok: false; code: 'ALIAS_MISSING' | 'ALIAS_UNKNOWN_TAB' | 'ALIAS_AMBIGUOUS' | 'ALIAS_TARGET_BROKEN'; message: string };

/** Every synced tab's variables by name, for resolving aliases in one pass over the grid. */
export class AliasIndex<T extends AliasTarget> {
  /** Trimmed tab name → that tab's variables by name. */
  private readonly tabs = new Map<string, Map<string, T>>();
  /** Tabs whose header has errors: they hold no variables, and an alias into them says why. */
  private readonly brokenTabs = new Set<string>();
  private byNameBuilt: Map<string, T[]> | undefined;
  private byLowerName: Map<string, T> | undefined;

  addTab(tab: string, variables: Iterable<T>): void {
    const own = new Map<string, T>();
    this.tabs.set(tab.trim(), own);
    for (const v of variables) own.set(v.name, v);
    this.byNameBuilt = undefined;
  }

  /** Name → variables of that name in every tab; built on the first alias that leaves its own tab. */
  private get byName(): Map<string, T[]> {
    if (this.byNameBuilt) return this.byNameBuilt;
    const byName = new Map<string, T[]>();
    for (const own of this.tabs.values()) {
      for (const v of own.values()) {
        const list = byName.get(v.name);
        if (list) list.push(v);
        else byName.set(v.name, [v]);
      }
    }
    this.byNameBuilt = byName;
    return byName;
  }

  addBrokenTab(tab: string): void {
    this.brokenTabs.add(tab.trim());
  }

  /** Finds the variable an alias written in tab `from` points at. */
  resolve(from: string, ref: AliasRef): AliasLookup<T> {
    if (ref.tab !== undefined) {
      const tab = this.findTab(ref.tab);
      if (tab !== undefined) {
        const found = this.tabs.get(tab)?.get(ref.name);
        if (found) return { ok: true, target: found };
        if (this.brokenTabs.has(tab)) return this.brokenTab(ref, tab);
        return { ok: false, code: 'ALIAS_MISSING', message: `${ref.text}: tab ${quote(tab)} has no variable named ${quote(ref.name)}${this.hint(ref.name)}` };
      }
      // "a::b" may be a plain variable name that contains "::".
      const plain = this.resolveByName(from, ref.whole, ref.text);
      if (plain.ok || plain.code === 'ALIAS_AMBIGUOUS') return plain;
      return {
        ok: false,
        code: 'ALIAS_UNKNOWN_TAB',
        message: `${ref.text} names tab ${quote(ref.tab)}, which is not a synced tab; synced tabs: ${this.tabList()}`,
      };
    }
    return this.resolveByName(from, ref.name, ref.text);
  }

  private resolveByName(from: string, name: string, text: string): AliasLookup<T> {
    const own = this.tabs.get(from.trim())?.get(name);
    if (own) return { ok: true, target: own };
    const found = (this.byName.get(name) ?? []).filter((v) => v.collection.trim() !== from.trim());
    if (found.length === 1) return { ok: true, target: found[0]! };
    if (found.length > 1) {
      const tabs = found.map((v) => v.collection);
      return {
        ok: false,
        code: 'ALIAS_AMBIGUOUS',
        message: `${text} is not in this tab and is in ${tabs.length} synced tabs (${clipList(tabs)}); choose one, e.g. {${found[0]!.collection}::${name}}`,
      };
    }
    return { ok: false, code: 'ALIAS_MISSING', message: `${text} points at no variable: no row is named ${quote(name)} in this tab or any synced tab${this.hint(name)}` };
  }

  /** The other tabs that have a variable of this name (for hints). */
  otherTabsWith(name: string, except: string): string[] {
    return (this.byName.get(name) ?? []).filter((v) => v.collection.trim() !== except.trim()).map((v) => v.collection);
  }

  private brokenTab(ref: AliasRef, tab: string): AliasLookup<T> {
    return {
      ok: false,
      code: 'ALIAS_TARGET_BROKEN',
      message: `${ref.text} points into tab ${quote(tab)}, whose header row has errors (see ${tab}!A1); fix that tab first`,
    };
  }

  /** The synced tab a `Tab::` prefix means: exact name, else the only one equal ignoring case. */
  private findTab(tab: string): string | undefined {
    if (this.tabs.has(tab) || this.brokenTabs.has(tab)) return tab;
    const lower = tab.toLowerCase();
    const matches = [...this.tabs.keys(), ...this.brokenTabs].filter((t) => t.toLowerCase() === lower);
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** "; did you mean {Tab::Name}?" when a name differs only in case (built once, on the first miss). */
  private hint(name: string): string {
    if (!this.byLowerName) {
      this.byLowerName = new Map();
      for (const list of this.byName.values()) {
        for (const v of list) if (!this.byLowerName.has(v.name.toLowerCase())) this.byLowerName.set(v.name.toLowerCase(), v);
      }
    }
    const near = this.byLowerName.get(name.toLowerCase());
    return near ? `; did you mean {${near.collection}::${near.name}}? (names are case-sensitive)` : '; check the spelling, or add a row with that name';
  }

  private tabList(): string {
    return clipList([...this.tabs.keys(), ...this.brokenTabs]);
  }
}

function clipList(items: readonly string[]): string {
  const shown = items.slice(0, 5).map((s) => (s.length > 40 ? `${s.slice(0, 39)}…` : s));
  return items.length > 5 ? `${shown.join(', ')} and ${items.length - 5} more` : shown.join(', ') || '(none)';
}
