import { Worker } from 'node:worker_threads';
import { workerScript } from '@cbec/event-store';
import { PositionWaiters } from './position-waiters';
import { ProjectionFailed, ProjectionsLagging, type ProjectionStatus, type ReadSide, type RunnerLogger, RunnerStopped } from './projection-runner';
import type { MainToProjector, ProjectorThreadData, ProjectorToMain } from './projector.worker';

/**
 * The read side run by the projector thread (projector.worker.ts): the same runner, checkpoints and
 * exactly-once commits, on another core. This side keeps what the thread last reported and answers
 * `caughtUp` from it. A thread that dies is restarted (after 100 ms, doubling up to 5 s); it resumes from
 * the committed checkpoints, as a restarted process would.
 */
export class ProjectorThread implements ReadSide {
  private statuses: ProjectionStatus[];
  private readonly waiters = new PositionWaiters(
    () => this.position,
    (position) => this.blockedBy(position),
    (awaited, reached) => new ProjectionsLagging(awaited, reached),
    (failure) => new ProjectionFailed(failure),
  );
  private worker: Worker | null = null;
  private running = false;
  private stopped: Promise<void> | null = null;
  private restartDelay = 100;
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly data: ProjectorThreadData,
    initial: ProjectionStatus[],
    private readonly logger: RunnerLogger,
  ) {
    this.statuses = initial;
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
    if (queued) this.send({ expedite: position });
    return promise;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.spawn();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (worker) {
      // The thread commits what it holds, closes its connections, then exits.
      this.stopped ??= new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      this.send({ stop: true });
      await this.stopped;
    }
    this.waiters.rejectAll(() => new RunnerStopped());
  }

  private spawn(): void {
    const { filename, execArgv } = workerScript(__filename, __dirname, 'projector.worker');
    const worker = new Worker(filename, { workerData: this.data, execArgv });
    this.worker = worker;
    worker.on('message', (message: ProjectorToMain) => {
      if ('status' in message) {
        this.statuses = message.status;
        this.restartDelay = 100;
        this.waiters.settle();
      } else if ('log' in message) {
        if (message.log === 'error') this.logger.error(message.message);
        else this.logger.log(message.message);
      }
    });
    worker.on('error', (error) => this.logger.error(`projections: the projector thread failed: ${error.stack ?? String(error)}`));
    worker.on('exit', (code) => {
      this.worker = null;
      if (!this.running) return;
      const delay = this.restartDelay;
      this.restartDelay = Math.min(delay * 2, 5000);
      this.logger.error(`projections: the projector thread exited (code ${code}); restarting it in ${delay} ms`);
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        if (!this.running) return;
        this.spawn();
        // Readers still waiting get their commit expedited by the new thread too.
        for (const position of this.waiters.positions()) this.send({ expedite: position });
      }, delay);
    });
  }

  private send(message: MainToProjector): void {
    this.worker?.postMessage(message);
  }

  private blockedBy(position: number): ProjectionStatus['failure'] {
    for (const s of this.statuses) if (s.failure && s.position < position) return s.failure;
    return null;
  }
}
