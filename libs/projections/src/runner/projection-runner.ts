import type { EventStore, RecordedEvent, Subscription } from '@cbec/event-store';
import { PositionWaiters } from './position-waiters';
import { CheckpointMovedBack, ProjectionFailure, ReadModelDb } from './read-model-db';

export interface RunnerLogger {
  log(message: string): void;
  error(message: string): void;
}

export interface ProjectionRunnerOptions {
  /** Events applied per transaction at most (catch-up speed vs. transaction size). */
  batchSize?: number;
  /** First delay before resubscribing after a failure; doubles up to 5 s. */
  retryDelayMs?: number;
  logger?: RunnerLogger;
  /**
   * Under load, at most one commit per this many ms (unless a batch fills up or someone awaits
   * `caughtUp`): events arriving meanwhile share the next transaction. An idle runner still commits on the
   * next turn of the event loop. Default 50; 0 commits on every turn. A commit writes every page it
   * touched, most of them shared by the batch's events: at 10 ms the read side cost ~0.13 ms of CPU per
   * submission under `bench:api`, at 50 ms ~0.10 (longer windows gained nothing more).
   */
  coalesceMs?: number;
  /** Test hook passed to every batch (see `ReadModelDb.applyBatch`). */
  beforeCommit?: (positions: ReadonlyMap<string, number>) => void;
  /** Called after every committed batch (the projector thread reports its checkpoints with it). */
  afterCommit?: () => void;
}

export interface ProjectionStatus {
  name: string;
  version: number;
  position: number;
  failure: ProjectionFailure | null;
}

/** One line naming the projection, the event (position, type, stream and version) and the error. */
export function describeFailure(f: ProjectionFailure): string {
  return `projection "${f.projection}" failed at event ${f.globalPosition} (${f.eventType} on ${f.streamId}, version ${f.streamVersion}): ${f.error}`;
}

/** A projection failed before reaching the awaited position: its rows will not show the event. */
export class ProjectionFailed extends Error {
  readonly code = 'projection-failed';
  constructor(readonly failure: ProjectionFailure) {
    super(describeFailure(failure));
    this.name = 'ProjectionFailed';
  }
}

/** The read side did not reach the awaited position in time. */
export class ProjectionsLagging extends Error {
  readonly code = 'projections-lagging';
  constructor(
    readonly awaited: number,
    readonly reached: number,
  ) {
    super(`read models reached position ${reached}, not ${awaited}, in time`);
    this.name = 'ProjectionsLagging';
  }
}

export class RunnerStopped extends Error {
  constructor() {
    super('the projection runner stopped');
    this.name = 'RunnerStopped';
  }
}

/** What the rest of the app needs of the read side, wherever its runner runs (this thread or its own). */
export interface ReadSide {
  readonly position: number;
  status(): ProjectionStatus[];
  caughtUp(position: number, options?: { timeoutMs?: number }): Promise<void>;
  start(): void;
  stop(): Promise<void>;
}

const silent: RunnerLogger = { log: () => undefined, error: () => undefined };

/**
 * Feeds every projection from one checkpointed subscription on the store. Events are buffered and applied
 * in batches (a full batch, or whatever arrived by the next turn of the event loop), each batch in one
 * transaction with the checkpoints, so a crash at any point leaves rows and checkpoints consistent and the
 * next start resumes exactly after the last committed event.
 */
export class ProjectionRunner implements ReadSide {
  private readonly batchSize: number;
  private readonly retryDelayMs: number;
  private readonly logger: RunnerLogger;
  /** The checkpoints as last committed (by this process or, as seen in its transactions, another). */
  private readonly known = new Map<string, number>();
  private readonly failed = new Map<string, ProjectionFailure>();
  private buffer: RecordedEvent[] = [];
  private flushScheduled = false;
  /** A deferred flush (coalescing) waiting on a timer, and the generation it belongs to. */
  private flushTimer: NodeJS.Timeout | null = null;
  private flushTimerGeneration = 0;
  private lastFlushAt = 0;
  private readonly coalesceMs: number;
  private generation = 0;
  private running = false;
  private subscription: Subscription | null = null;
  private loopDone: Promise<void> | null = null;
  private readonly waiters = new PositionWaiters(
    () => this.position,
    (position) => this.blockedBy(position),
    (awaited, reached) => new ProjectionsLagging(awaited, reached),
    (failure) => new ProjectionFailed(failure),
  );
  private wakeLoop: (() => void) | null = null;
  /** Set when a deferred flush found the checkpoints moved back: resubscribe at once, it is no fault. */
  private resubscribeNow = false;
  private delay: number;
  /** The commit running now (resolved when none): commits never overlap. */
  private flushing: Promise<void> = Promise.resolve();
  private readonly beforeCommit?: (positions: ReadonlyMap<string, number>) => void;
  private readonly afterCommit?: () => void;
  /** Committed batches and the events they carried, since this runner was created. */
  readonly stats = { batches: 0, events: 0 };

  constructor(
    private readonly store: EventStore,
    readonly readModels: ReadModelDb,
    options: ProjectionRunnerOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 500;
    this.coalesceMs = options.coalesceMs ?? 50;
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.delay = this.retryDelayMs;
    this.logger = options.logger ?? silent;
    this.beforeCommit = options.beforeCommit;
    this.afterCommit = options.afterCommit;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The lowest checkpoint of the healthy projections: every one of them has seen the log up to here. */
  get position(): number {
    const healthy = [...this.known].filter(([name]) => !this.failed.has(name)).map(([, p]) => p);
    return healthy.length ? Math.min(...healthy) : 0;
  }

  status(): ProjectionStatus[] {
    return this.readModels.projections.map((p) => ({
      name: p.name,
      version: p.version,
      position: this.known.get(p.name) ?? 0,
      failure: this.failed.get(p.name) ?? null,
    }));
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop();
  }

  /**
   * Stops the subscription, commits what was already delivered (unless `flush: false`, which drops it as a
   * crash would), and rejects pending `caughtUp` waits.
   */
  async stop(options: { flush?: boolean } = {}): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wakeLoop?.();
    await this.subscription?.stop();
    await this.loopDone;
    try {
      if (options.flush !== false) await this.flush();
      else await this.flushing;
    } catch (error) {
      this.logger.error(`projections: final flush failed, it will be re-applied from the log: ${String(error)}`);
    }
    this.generation++;
    this.buffer = [];
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    this.flushScheduled = false;
    this.waiters.rejectAll(() => new RunnerStopped());
  }

  /**
   * Resolves once every projection has applied the log up to `position` (a global position, e.g. the one a
   * command returned); rejects if a projection failed before it, or after `timeoutMs` when given.
   */
  caughtUp(position: number, options: { timeoutMs?: number } = {}): Promise<void> {
    const { promise, queued } = this.waiters.wait(position, options.timeoutMs);
    // Someone waits for the read side: the log is read and a flush deferred for coalescing runs now.
    if (queued) {
      this.subscription?.wake?.();
      this.expediteFlush();
    }
    return promise;
  }

  private blockedBy(position: number): ProjectionFailure | null {
    for (const [name, failure] of this.failed) {
      if ((this.known.get(name) ?? 0) < position) return failure;
    }
    return null;
  }

  /** Reads the stored checkpoints (a runner resuming after another process, or a rebuild, moved them). */
  async refreshKnown(): Promise<void> {
    await this.flushing;
    for (const [name, cp] of await this.readModels.checkpoints()) this.known.set(name, cp.position);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const generation = ++this.generation;
      this.buffer = [];
      let problem: string;
      try {
        await this.refreshKnown();
        // Another process (or a rebuild) may have committed what a reader waits for.
        this.waiters.settle();
        const from = this.position;
        const subscription = this.store.subscribe({ fromCheckpoint: from, name: 'projections' }, (event) => this.onEvent(generation, event));
        this.subscription = subscription;
        this.logger.log(`projections: subscribed from position ${from}`);
        await subscription.done;
        if (!this.running) break;
        const movedBack = subscription.state === 'failed' && subscription.error instanceof CheckpointMovedBack;
        if (movedBack || this.resubscribeNow) {
          this.resubscribeNow = false;
          this.logger.log(`projections: checkpoints moved back (read models rebuilt); resubscribing from what is stored`);
          continue;
        }
        problem = `subscription ${subscription.state}${subscription.error ? `: ${String(subscription.error)}` : ''}`;
      } catch (error) {
        // The store refused to subscribe (closed, unreachable): the loop must not die with it.
        if (!this.running) break;
        problem = `cannot subscribe: ${String(error)}`;
      }
      const delay = this.delay;
      this.logger.error(`projections: ${problem}; retrying in ${delay} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeLoop = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeLoop = null;
      this.delay = Math.min(delay * 2, 5000);
    }
  }

  private async onEvent(generation: number, event: RecordedEvent): Promise<void> {
    if (generation !== this.generation || !this.running) return;
    this.buffer.push(event);
    // A throw here fails the subscription; the loop resubscribes from the stored checkpoints. Awaiting the
    // commit of a full batch holds the subscription back meanwhile (it awaits its handler).
    if (this.buffer.length >= this.batchSize) await this.flush();
    else this.scheduleFlush(generation);
  }

  private scheduleFlush(generation: number): void {
    if (this.flushScheduled) {
      if (this.waiters.pending) this.expediteFlush();
      return;
    }
    this.flushScheduled = true;
    // Coalescing: soon after a commit, the next waits out the rest of coalesceMs, so a busy log costs
    // one commit per interval instead of one per append; nobody awaiting caughtUp pays the wait.
    const wait = this.waiters.pending ? 0 : this.lastFlushAt + this.coalesceMs - Date.now();
    if (wait <= 0) {
      setImmediate(() => void this.deferredFlush(generation));
      return;
    }
    this.flushTimerGeneration = generation;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.deferredFlush(generation);
    }, wait);
    this.flushTimer.unref?.();
  }

  private expediteFlush(): void {
    if (!this.flushTimer) return;
    clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const generation = this.flushTimerGeneration;
    setImmediate(() => void this.deferredFlush(generation));
  }

  private async deferredFlush(generation: number): Promise<void> {
    this.flushScheduled = false;
    if (generation !== this.generation) {
      // Scheduled for a subscription since replaced: what the new one buffered still needs its flush.
      if (this.running && this.buffer.length) this.scheduleFlush(this.generation);
      return;
    }
    try {
      await this.flush();
    } catch (error) {
      if (error instanceof CheckpointMovedBack) this.resubscribeNow = true;
      else this.logger.error(`projections: ${String(error)}; resubscribing`);
      // Stopping the subscription makes the loop resubscribe from what is stored.
      void this.subscription?.stop();
    }
  }

  /** Commits what is buffered, after any commit still running (one transaction at a time, in log order). */
  private flush(): Promise<void> {
    const run = this.flushing.then(() => this.commitBuffer());
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private async commitBuffer(): Promise<void> {
    const events = this.buffer;
    this.buffer = [];
    if (!events.length) return;
    this.lastFlushAt = Date.now();
    const result = await this.readModels.applyBatch(events, {
      expected: this.known,
      skip: new Set(this.failed.keys()),
      beforeCommit: this.beforeCommit,
    });
    this.stats.batches++;
    this.stats.events += events.length;
    this.delay = this.retryDelayMs;
    for (const [name, position] of result.positions) this.known.set(name, position);
    for (const failure of result.failures) {
      this.failed.set(failure.projection, failure);
      this.logger.error(new ProjectionFailed(failure).message);
    }
    this.waiters.settle();
    this.afterCommit?.();
  }
}
