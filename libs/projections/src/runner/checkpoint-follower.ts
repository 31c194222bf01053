import { PositionWaiters } from './position-waiters';
import { ProjectionFailed, ProjectionsLagging, type ProjectionStatus, type ReadSide } from './projection-runner';
import type { ProjectionFailure, ReadModelDb } from './read-model-db';

/**
 * The read side of a process that does not project: a cluster worker other than the first, whose
 * projector feeds read-models.db for every worker. It answers `caughtUp` (so `?minPosition=`) from the
 * checkpoints and failures that projector commits in the shared file, read while someone waits: a
 * reader waiting past a failed projection's checkpoint gets 503 `projection-failed` at once, as on the
 * projecting worker.
 */
export class CheckpointFollower implements ReadSide {
  private readonly waiters = new PositionWaiters(
    () => this.position,
    (position) => this.blockedBy(position),
    (awaited, reached) => new ProjectionsLagging(awaited, reached),
    (failure) => new ProjectionFailed(failure),
  );
  private timer: NodeJS.Timeout | null = null;

  /** `pollMs`: how often the checkpoints are read while a reader waits. */
  constructor(
    private readonly store: ReadModelDb,
    private readonly pollMs = 5,
  ) {}

  /** The lowest committed checkpoint of the healthy projections: each of them includes the log up to it. */
  get position(): number {
    const healthy = this.status().filter((s) => !s.failure);
    return healthy.length ? Math.min(...healthy.map((s) => s.position)) : 0;
  }

  status(): ProjectionStatus[] {
    const checkpoints = this.store.checkpoints();
    const failures = this.store.failures();
    return this.store.projections.map((p) => ({
      name: p.name,
      version: p.version,
      position: checkpoints.get(p.name)?.position ?? 0,
      failure: failures.get(p.name) ?? null,
    }));
  }

  private blockedBy(position: number): ProjectionFailure | null {
    return this.status().find((s) => s.failure && s.position < position)?.failure ?? null;
  }

  caughtUp(position: number, options: { timeoutMs?: number } = {}): Promise<void> {
    const { promise, queued } = this.waiters.wait(position, options.timeoutMs);
    if (queued) this.poll();
    return promise;
  }

  /** Nothing to run: the projecting process follows the log. */
  start(): void {}

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private poll(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.waiters.settle();
      if (this.waiters.pending > 0) this.poll();
    }, this.pollMs);
  }
}
