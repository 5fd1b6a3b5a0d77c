// Runs the main thread's work one task at a time. An apply replaces any apply still waiting: the
// grid is the channel's whole state, so only the newest one matters.

export type TaskKind = 'apply' | 'other';

interface Task {
  kind: TaskKind;
  run: () => Promise<void>;
}

export class TaskQueue {
  private readonly waiting: Task[] = [];
  private running = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly onError: (err: unknown) => void) {}

  push(kind: TaskKind, run: () => Promise<void>): void {
    if (kind === 'apply') {
      for (let i = this.waiting.length - 1; i >= 0; i--) if (this.waiting[i]!.kind === 'apply') this.waiting.splice(i, 1);
    }
    this.waiting.push({ kind, run });
    if (!this.running) void this.drain();
  }

  /** Resolves once nothing is running or waiting. */
  idle(): Promise<void> {
    if (!this.running && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let task = this.waiting.shift(); task; task = this.waiting.shift()) {
      try {
        await task.run();
      } catch (err) {
        this.onError(err);
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
