import { PositionWaiters } from './position-waiters';
import { ProjectionFailed, ProjectionsLagging, type ProjectionStatus, type ReadSide } from './projection-runner';
import type { ProjectionFailure, ReadModelDb } from './read-model-db';

/**
 * The read side of a process that does not project: a cluster worker other than the first, or a server
 * on PostgreSQL that does not hold the projector's lease. Whoever projects commits the checkpoints and
 * failures in the shared store; this answers `caughtUp` (so `?minPosition=`) from them, read again every
 * `pollMs` while someone waits (and every `idleMs` for the status otherwise): a reader waiting past a
 * failed projection's checkpoint gets 503 `projection-failed` at once, as on the projecting process.
 */
export class CheckpointFollower implements ReadSide {
  private readonly waiters = new PositionWaiters(
    () => this.position,
    (position) => this.blockedBy(position),
    (awaited, reached) => new ProjectionsLagging(awaited, reached),
    (failure) => new ProjectionFailed(failure),
  );
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private statuses: ProjectionStatus[];
  private reading: Promise<void> | null = null;
  private stopped = false;

  /** `pollMs`: how often the checkpoints are read while a reader waits. */
  constructor(
    private readonly store: ReadModelDb,
    private readonly pollMs = 5,
    private readonly idleMs = 1000,
  ) {
    this.statuses = store.projections.map((p) => ({ name: p.name, version: p.version, position: 0, failure: null }));
  }

  /** The lowest committed checkpoint of the healthy projections: each of them includes the log up to it. */
  get position(): number {
    const healthy = this.statuses.filter((s) => !s.failure);
    return healthy.length ? Math.min(...healthy.map((s) => s.position)) : 0;
  }

  /** As last read from the store. */
  status(): ProjectionStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }

  /** Reads the checkpoints and failures as stored now. */
  refresh(): Promise<void> {
    this.reading ??= (async () => {
      try {
        const [checkpoints, failures] = await Promise.all([this.store.checkpoints(), this.store.failures()]);
        this.statuses = this.store.projections.map((p) => ({
          name: p.name,
          version: p.version,
          position: checkpoints.get(p.name)?.position ?? 0,
          failure: failures.get(p.name) ?? null,
        }));
      } finally {
        this.reading = null;
      }
    })();
    return this.reading;
  }

  private blockedBy(position: number): ProjectionFailure | null {
    return this.statuses.find((s) => s.failure && s.position < position)?.failure ?? null;
  }

  async caughtUp(position: number, options: { timeoutMs?: number } = {}): Promise<void> {
    // What is stored now, not what was read a while ago: another process may have committed since.
    await this.refresh().catch(() => undefined);
    const { promise, queued } = this.waiters.wait(position, options.timeoutMs);
    if (queued) this.poll();
    return promise;
  }

  /** Nothing to run: the projecting process follows the log. Keeps the status fresh for /health. */
  start(): void {
    this.stopped = false;
    const tick = (): void => {
      this.idleTimer = setTimeout(() => {
        void this.refresh()
          .catch(() => undefined)
          .then(() => {
            this.waiters.settle();
            if (!this.stopped) tick();
          });
      }, this.idleMs);
      this.idleTimer.unref?.();
    };
    void this.refresh().catch(() => undefined);
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.timer = null;
    this.idleTimer = null;
    await this.reading?.catch(() => undefined);
  }

  private poll(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => {
      void this.refresh()
        .catch(() => undefined)
        .then(() => {
          this.timer = null;
          this.waiters.settle();
          if (this.waiters.pending > 0) this.poll();
        });
    }, this.pollMs);
  }
}
