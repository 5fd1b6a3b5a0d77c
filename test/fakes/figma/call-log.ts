// Counts every call the fake Figma receives (reads and writes by name) and keeps an optional ordered
// trace, so tests and the bench can assert exact numbers and see where the plugin yielded.

export type CallKind = 'read' | 'write';

/** Prefixes of calls that touch variables (as opposed to document plugin data or the UI). */
const VARIABLE_PREFIXES = ['variables.', 'Variable.', 'VariableCollection.'];

export class CallLog {
  private readonly counts = new Map<string, { kind: CallKind; n: number }>();
  /** Ordered names of calls and marks ("yield", "commitUndo"), when tracing is on. */
  trace: string[] | undefined;

  constructor(
    private readonly clock: VirtualClock,
    private readonly costs: CallCosts,
  ) {}

  record(name: string, kind: CallKind): void {
    const entry = this.counts.get(name);
    if (entry) entry.n++;
    else this.counts.set(name, { kind, n: 1 });
    this.trace?.push(name);
    this.clock.advance(this.costs.perCall[name] ?? (kind === 'write' ? this.costs.write : this.costs.read));
  }

  /** A point in the trace that is not a call (e.g. "yield"). */
  mark(text: string): void {
    this.trace?.push(text);
  }

  count(name: string): number {
    return this.counts.get(name)?.n ?? 0;
  }

  /** Total calls of a kind, optionally only those touching variables. */
  total(kind: CallKind, onlyVariables = false): number {
    let n = 0;
    for (const [name, entry] of this.counts) {
      if (entry.kind === kind && (!onlyVariables || VARIABLE_PREFIXES.some((p) => name.startsWith(p)))) n += entry.n;
    }
    return n;
  }

  /** Writes to variables and collections (creates, values, names, plugin data on them, removals). */
  variableWrites(): number {
    return this.total('write', true);
  }

  /** Counts by call name, for one kind, sorted by name. */
  byName(kind: CallKind): Record<string, number> {
    const out: Record<string, number> = {};
    for (const name of [...this.counts.keys()].sort()) {
      const entry = this.counts.get(name)!;
      if (entry.kind === kind) out[name] = entry.n;
    }
    return out;
  }

  reset(): void {
    this.counts.clear();
    if (this.trace) this.trace = [];
  }
}

/** Simulated main-thread time: every call costs what it would in Figma, so chunking is deterministic. */
export class VirtualClock {
  private t = 0;
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

export interface CallCosts {
  read: number;
  write: number;
  perCall: Record<string, number>;
}

/**
 * Per-call costs measured in Figma by a public latency benchmark of the variables API
 * (createVariable ≈ 0.50 ms, setValueForMode ≈ 0.30 ms, setVariableCodeSyntax ≈ 0.23 ms per call).
 * Other writes are taken as 0.3 ms and reads as 0.01 ms.
 */
export const FIGMA_LIKE_COSTS: CallCosts = {
  read: 0.01,
  write: 0.3,
  perCall: {
    'variables.createVariable': 0.5,
    'Variable.setValueForMode': 0.3,
    'Variable.setVariableCodeSyntax': 0.23,
  },
};
