import { SupervisedThread } from '@cbec/event-store';
import { PositionWaiters } from './position-waiters';
import { ProjectionFailed, ProjectionsLagging, type ProjectionStatus, type ReadSide, type RunnerLogger, RunnerStopped } from './projection-runner';
import type { MainToProjector, ProjectorThreadData, ProjectorToMain } from './projector.worker';

/**
 * The read side run by the projector thread (projector.worker.ts): the same runner, checkpoints and
 * exactly-once commits, on another core. This side keeps what the thread last reported and answers
 * `caughtUp` from it. A thread that dies is restarted (SupervisedThread); it resumes from the committed
 * checkpoints, as a restarted process would.
 */
export class ProjectorThread implements ReadSide {
  private statuses: ProjectionStatus[];
  private readonly waiters = new PositionWaiters(
    () => this.position,
    (position) => this.blockedBy(position),
    (awaited, reached) => new ProjectionsLagging(awaited, reached),
    (failure) => new ProjectionFailed(failure),
  );
  private readonly thread: SupervisedThread<MainToProjector, ProjectorToMain>;

  constructor(data: ProjectorThreadData, initial: ProjectionStatus[], logger: RunnerLogger) {
    this.statuses = initial;
    this.thread = new SupervisedThread<MainToProjector, ProjectorToMain>({
      callerFilename: __filename,
      callerDirname: __dirname,
      entry: 'projector.worker',
      workerData: data,
      label: 'projections',
      logger,
      onMessage: (message) => {
        if ('status' in message) {
          this.statuses = message.status;
          this.thread.healthy();
          this.waiters.settle();
        } else if ('log' in message) {
          if (message.log === 'error') logger.error(message.message);
          else logger.log(message.message);
        }
      },
      // Readers still waiting get their commit expedited by the new thread too.
      onRestart: () => {
        for (const position of this.waiters.positions()) this.thread.send({ expedite: position });
      },
    });
  }

  get position(): number {
    const healthy = this.statuses.filter((s) => !s.failure).map((s) => s.position);
    return healthy.length ? Math.min(...healthy) : 0;
  }

  status(): ProjectionStatus[] {
    return this.statuses.map((s) => ({ ...s }));
  }

  caughtUp(position: number, options: { timeoutMs?: number } = {}): Promise<void> {
    const { promise, queued } = this.waiters.wait(position, options.timeoutMs);
    // Someone waits: the thread commits what it holds now rather than at the end of its coalescing wait.
    if (queued) this.thread.send({ expedite: position });
    return promise;
  }

  start(): void {
    this.thread.start();
  }

  /** The thread commits what it holds, closes its connections and exits; waiting reads are refused. */
  async stop(): Promise<void> {
    await this.thread.stop({ stop: true });
    this.waiters.rejectAll(() => new RunnerStopped());
  }

  private blockedBy(position: number): ProjectionStatus['failure'] {
    for (const s of this.statuses) if (s.failure && s.position < position) return s.failure;
    return null;
  }
}
