/** Where an announcement goes: the BroadcastChannel every store on the file in this process listens on. */
export interface AnnouncementChannel {
  postMessage(message: null): void;
}

/**
 * Tells the stores of other threads that the log grew, at most once per `intervalMs`: the first commit
 * after a quiet spell is announced at once (an idle subscriber hears of it without delay), and the
 * commits of a busy spell are gathered into one announcement at the end of each interval.
 *
 * Why not one per commit: each announcement wakes every listening thread (the request thread, the
 * projector's, the tracker's), and under load those wake-ups cost more CPU than the work they led to,
 * since each one read a handful of events. Gathered, the subscriber reads the interval's events in one
 * page (ADR 0006: ~0.15 ms less CPU per submission).
 */
export class CommitAnnouncer {
  private lastPostAt = Number.NEGATIVE_INFINITY;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly channel: AnnouncementChannel,
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new TypeError(`CommitAnnouncer: intervalMs must be a number >= 0, got ${String(intervalMs)}`);
  }

  /** Something was committed. */
  announce(): void {
    if (this.timer) return; // the announcement at the end of this interval covers it
    const wait = this.lastPostAt + this.intervalMs - this.now();
    if (wait <= 0) {
      this.post();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.post();
    }, wait);
    // Listeners in a process that is exiting do not need it; it must not hold the process open.
    this.timer.unref();
  }

  /** Posts a pending announcement now (the writer is closing). */
  flush(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.post();
  }

  private post(): void {
    this.lastPostAt = this.now();
    this.channel.postMessage(null);
  }
}
