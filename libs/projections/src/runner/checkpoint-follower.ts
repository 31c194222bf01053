import { PositionWaiters } from './position-waiters';
import { ProjectionsLagging, type ProjectionStatus, type ReadSide } from './projection-runner';
import type { ReadModelDb } from './read-model-db';

/**
 * The read side of a process that does not project: a cluster worker other than the first, whose
 * projector feeds read-models.db for every worker. It answers `caughtUp` (so `?minPosition=`) from the
 * checkpoints that projector commits in the shared file, read while someone waits. It cannot see the
 * projector's failures (they live in that process): a reader it cannot serve gets 503
 * `projections-lagging` after its timeout, as any lagging reader does.
 */
export class CheckpointFollower implements ReadSide {
  private readonly waiters = new PositionWaiters(
    () => this.position,
    () => null,
    (awaited, reached) => new ProjectionsLagging(awaited, reached),
    () => new Error('unreachable: a follower sees no failures'),
  );
  private timer: NodeJS.Timeout | null = null;

  /** `pollMs`: how often the checkpoints are read while a reader waits. */
  constructor(
    private readonly store: ReadModelDb,
    private readonly pollMs = 5,
  ) {}

  /** The lowest committed checkpoint of the projections: every read model includes the log up to it. */
  get position(): number {
    const checkpoints = this.store.checkpoints();
    return Math.min(...this.store.projections.map((p) => checkpoints.get(p.name)?.position ?? 0));
  }

  status(): ProjectionStatus[] {
    const checkpoints = this.store.checkpoints();
    return this.store.projections.map((p) => ({ name: p.name, version: p.version, position: checkpoints.get(p.name)?.position ?? 0, failure: null }));
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
