// Offers arrive as slices (`offer` messages, shared/protocol/offer-parts.ts): this joins one socket's slices in
// order, bounded in bytes per offer (MAX_OFFER_BYTES), in bytes of all offers being received on the
// process (OFFER_ASSEMBLY_MAX_BYTES, which also counts complete offers until they are checked and
// stored) and in time (OFFER_ASSEMBLY_TIMEOUT_MS). A bad or too large offer is refused with an answer;
// the socket stays open. No I/O: the socket session acts on the result.

import type { ErrorCode } from '../shared/protocol/errors';
import type { OfferPartMessage } from '../shared/protocol/messages';

/** What the slices received so far amount to. */
export type AssemblyResult =
  | { kind: 'more' }
  /**
   * Every slice is in: the offer's JSON text. Its bytes stay taken from the budget until `release()`
   * (the caller's, once the offer is checked and stored, or not), so offers waiting for their check
   * are bounded with those being received.
   */
  | { kind: 'complete'; id: string; text: string; release: () => void }
  /** Refused (answer once); later slices of the same id are dropped without another answer. */
  | { kind: 'refused'; id: string; code: ErrorCode; message: string }
  /** A slice of an offer already refused: dropped, no answer. */
  | { kind: 'dropped' };

/** Bytes held by every socket's offer being received, against one process-wide bound. */
export class AssemblyBudget {
  private held = 0;

  constructor(
    readonly maxBytes: number,
    private readonly onChange: (held: number) => void = () => undefined,
  ) {}

  take(bytes: number): boolean {
    if (this.held + bytes > this.maxBytes) return false;
    this.held += bytes;
    this.onChange(this.held);
    return true;
  }

  give(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
    this.onChange(this.held);
  }

  get bytes(): number {
    return this.held;
  }
}

export interface AssemblyLimits {
  maxOfferBytes: number;
  timeoutMs: number;
}

/** One socket's offer in progress: at most one at a time. */
export class OfferAssembly {
  private current: { id: string; parts: number; next: number; slices: string[]; bytes: number; lastAt: number } | undefined;
  /** The id of the last offer refused, whose remaining slices are dropped quietly. */
  private refusedId: string | undefined;

  constructor(
    private readonly limits: AssemblyLimits,
    private readonly budget: AssemblyBudget,
  ) {}

  /** Takes one slice. `now` is ms (the timeout is checked against the previous slice). */
  add(part: OfferPartMessage, now: number): AssemblyResult {
    // A part 0 starts a new offer: one still being received on this socket is abandoned.
    if (part.part === 0) {
      this.drop();
      this.refusedId = undefined;
      this.current = { id: part.id, parts: part.parts, next: 0, slices: [], bytes: 0, lastAt: now };
    } else if (part.id === this.refusedId && !this.current) {
      return { kind: 'dropped' };
    }
    const c = this.current;
    if (!c) return this.refuse(part.id, 'BAD_OFFER', `slice ${part.part} of offer ${part.id} came without its slice 0; send the offer again from the start`);
    if (part.id !== c.id) return this.refuse(c.id, 'BAD_OFFER', `a slice of offer ${part.id} came while offer ${c.id} was being received; send one offer at a time`);
    if (now - c.lastAt > this.limits.timeoutMs) return this.refuse(c.id, 'BAD_OFFER', `its slice ${c.next} came more than ${this.limits.timeoutMs} ms after the previous one; send the offer again`);
    if (part.parts !== c.parts || part.part !== c.next || part.part >= part.parts) {
      return this.refuse(c.id, 'BAD_OFFER', `slice ${part.part} of ${part.parts} came where slice ${c.next} of ${c.parts} was due; send the slices in order`);
    }
    const bytes = Buffer.byteLength(part.text, 'utf8');
    if (c.bytes + bytes > this.limits.maxOfferBytes) {
      return this.refuse(c.id, 'OFFER_TOO_LARGE', `it is over ${this.limits.maxOfferBytes} bytes (MAX_OFFER_BYTES); send fewer collections at a time`);
    }
    if (!this.budget.take(bytes)) {
      return this.refuse(c.id, 'OFFER_STORE_FULL', 'the relay is receiving as many offers as it can at once (OFFER_ASSEMBLY_MAX_BYTES); try again in a moment');
    }
    c.slices.push(part.text);
    c.bytes += bytes;
    c.next++;
    c.lastAt = now;
    if (c.next < c.parts) return { kind: 'more' };
    const text = c.slices.join('');
    this.current = undefined;
    let held = c.bytes;
    const release = (): void => {
      this.budget.give(held);
      held = 0;
    };
    return { kind: 'complete', id: part.id, text, release };
  }

  /** An offer whose next slice is overdue: dropped (its bytes given back); its id when there was one. */
  expire(now: number): string | undefined {
    if (!this.current || now - this.current.lastAt <= this.limits.timeoutMs) return undefined;
    const id = this.current.id;
    this.refusedId = id;
    this.drop();
    return id;
  }

  /** Refuses an offer before its first slice is taken (the caller answers): its slices are dropped. */
  refuseAll(id: string): void {
    this.drop();
    this.refusedId = id;
  }

  /** Bytes this socket holds. */
  get bytes(): number {
    return this.current?.bytes ?? 0;
  }

  /** Gives back what this socket holds (the socket closed). */
  drop(): void {
    if (this.current) this.budget.give(this.current.bytes);
    this.current = undefined;
  }

  private refuse(id: string, code: ErrorCode, message: string): AssemblyResult {
    this.drop();
    this.refusedId = id;
    return { kind: 'refused', id, code, message: `Offer ${id} was not kept: ${message}.` };
  }
}
