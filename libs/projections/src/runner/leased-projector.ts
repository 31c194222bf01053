import { type EventStore, PostgresLease } from '@cbec/event-store';
import { CheckpointFollower } from './checkpoint-follower';
import { ProjectionRunner, type ProjectionRunnerOptions, type ProjectionStatus, type ReadSide, type RunnerLogger, RunnerStopped } from './projection-runner';
import type { ReadModelDb } from './read-model-db';

/** The lease's name: one projector per database (`PostgresLease` keys its advisory lock by it). */
export const PROJECTOR_LEASE = 'projector';

export interface LeasedProjectorOptions {
  connectionString: string;
  logger: RunnerLogger;
  /** How often a server without the lease tries to take it (ms, default 1000): the takeover time after a holder dies. */
  leaseIntervalMs?: number;
  runner?: ProjectionRunnerOptions;
}

/**
 * The read side of a server among several on one PostgreSQL database: the projector runs in exactly one
 * of them, the holder of the `projector` lease (a session advisory lock, `PostgresLease`); every server
 * answers reads and `caughtUp` (so `?minPosition=`) from the checkpoints committed in the database. When
 * the holder dies its lock goes with its connection, and the next server to try takes the lease and
 * resumes from the stored checkpoints (each committed with its rows, so nothing is applied twice or
 * skipped). Two projectors overlapping for a moment (a holder cut off from the database, still
 * committing) stay correct: batches serialise on the store's write lock and re-read the checkpoints.
 */
export class LeasedProjector implements ReadSide {
  private runner: ProjectionRunner | null = null;
  private readonly follower: CheckpointFollower;
  private readonly lease: PostgresLease;
  private stopping = false;

  constructor(
    private readonly eventStore: EventStore,
    private readonly store: ReadModelDb,
    private readonly options: LeasedProjectorOptions,
  ) {
    this.follower = new CheckpointFollower(store);
    this.lease = new PostgresLease({
      connectionString: options.connectionString,
      name: PROJECTOR_LEASE,
      intervalMs: options.leaseIntervalMs,
      logger: { error: (m: string) => options.logger.error(m), log: (m: string) => options.logger.log(m) },
      onAcquired: () => {
        const runner = new ProjectionRunner(this.eventStore, this.store, { ...options.runner, logger: options.logger });
        this.runner = runner;
        runner.start();
      },
      onReleased: async () => {
        const runner = this.runner;
        this.runner = null;
        await runner?.stop();
      },
    });
  }

  /** Whether this server runs the projector now. */
  get projecting(): boolean {
    return this.runner !== null;
  }

  get position(): number {
    return Math.max(this.runner?.position ?? 0, this.follower.position);
  }

  status(): ProjectionStatus[] {
    return this.runner?.status() ?? this.follower.status();
  }

  caughtUp(position: number, options: { timeoutMs?: number } = {}): Promise<void> {
    // The projecting server answers from its own commits (and commits a coalescing batch at once); the
    // others read the checkpoints in the database until they show the position.
    if (!this.runner) return this.follower.caughtUp(position, options);
    return this.runner.caughtUp(position, options).catch((error: unknown) => {
      // The lease went elsewhere while this reader waited: the new holder's commits answer it.
      if (error instanceof RunnerStopped && !this.stopping) return this.follower.caughtUp(position, options);
      throw error;
    });
  }

  start(): void {
    this.follower.start();
    this.lease.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.lease.stop();
    await this.follower.stop();
  }
}
