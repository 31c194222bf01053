import type { ProjectionFailure } from './read-model-db';

interface Waiter {
  position: number;
  resolve(): void;
  reject(error: Error): void;
  timer?: NodeJS.Timeout;
}

/**
 * Readers waiting for the read side to reach a global position: resolved once every healthy projection
 * has it, rejected by the failure of a projection still short of it, or after their timeout. Shared by
 * the in-thread runner and the projector thread's proxy, which differ only in where positions come from.
 */
export class PositionWaiters {
  private waiters: Waiter[] = [];

  constructor(
    private readonly reached: () => number,
    private readonly blockedBy: (position: number) => ProjectionFailure | null,
    private readonly lagging: (awaited: number, reached: number) => Error,
    private readonly failed: (failure: ProjectionFailure) => Error,
  ) {}

  get pending(): number {
    return this.waiters.length;
  }

  /** `queued` is false when the answer is already known (reached, or blocked by a failure). */
  wait(position: number, timeoutMs: number | undefined): { promise: Promise<void>; queued: boolean } {
    const blocked = this.blockedBy(position);
    if (blocked) return { promise: Promise.reject(this.failed(blocked)), queued: false };
    if (this.reached() >= position) return { promise: Promise.resolve(), queued: false };
    const promise = new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { position, resolve, reject };
      if (timeoutMs !== undefined) {
        waiter.timer = setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          reject(this.lagging(position, this.reached()));
        }, timeoutMs);
        waiter.timer.unref?.();
      }
      this.waiters.push(waiter);
    });
    return { promise, queued: true };
  }

  /** After new positions: answers every waiter whose fate is now known. */
  settle(): void {
    if (!this.waiters.length) return;
    const reached = this.reached();
    this.waiters = this.waiters.filter((w) => {
      const blocked = this.blockedBy(w.position);
      if (!blocked && reached < w.position) return true;
      if (w.timer) clearTimeout(w.timer);
      if (blocked) w.reject(this.failed(blocked));
      else w.resolve();
      return false;
    });
  }

  positions(): number[] {
    return this.waiters.map((w) => w.position);
  }

  rejectAll(error: () => Error): void {
    for (const w of this.waiters.splice(0)) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(error());
    }
  }
}
