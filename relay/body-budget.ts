// The request body bytes all requests in progress may hold together (MAX_INFLIGHT_BODY_BYTES). Each
// request takes bytes from the budget as they arrive (and again for what gunzip makes of them) and
// gives them all back when its answer is done, so many slow or large uploads at once are refused with
// 503 OVERLOADED instead of filling memory.

export interface BodyLease {
  /** Takes `bytes` more; false (taking nothing) when the budget cannot give them. */
  take(bytes: number): boolean;
  /** Gives back everything this lease took; safe to call twice. */
  release(): void;
}

export class BodyBudget {
  private held = 0;

  constructor(
    private readonly max: number,
    private readonly onChange: (held: number) => void = () => undefined,
    private readonly onRefused: () => void = () => undefined,
  ) {}

  /** Bytes held by every lease together. */
  get heldBytes(): number {
    return this.held;
  }

  lease(): BodyLease {
    let mine = 0;
    return {
      take: (bytes) => {
        if (this.held + bytes > this.max) {
          this.onRefused();
          return false;
        }
        this.held += bytes;
        mine += bytes;
        this.onChange(this.held);
        return true;
      },
      release: () => {
        if (mine === 0) return;
        this.held -= mine;
        mine = 0;
        this.onChange(this.held);
      },
    };
  }
}
