// A stack of closers: each resource a test starts registers how to close it the moment it exists,
// and close() runs them newest first, every one even when some fail, then reports the failures.

export class Teardown {
  private readonly closers: { what: string; close: () => unknown }[] = [];

  /** Registers a closer; returns it so a caller can also run it early (closers must be idempotent). */
  add(what: string, close: () => unknown): void {
    this.closers.push({ what, close });
  }

  async close(): Promise<void> {
    const failures: string[] = [];
    while (this.closers.length > 0) {
      const { what, close } = this.closers.pop()!;
      try {
        await close();
      } catch (err) {
        failures.push(`${what}: ${(err as Error).message}`);
      }
    }
    if (failures.length > 0) throw new Error(`teardown failed: ${failures.join('; ')}`);
  }
}
