import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit, Optional } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type EventStore, PostgresEventStore, SqliteEventStore } from '@cbec/event-store';
import { ALL_PROJECTIONS } from './projections';
import { CheckpointFollower } from './runner/checkpoint-follower';
import { LeasedProjector } from './runner/leased-projector';
import { PostgresReadModelEngine } from './runner/postgres-read-model-engine';
import { ProjectionRunner, type ReadSide } from './runner/projection-runner';
import { ProjectorThread } from './runner/projector-thread';
import type { ReadModelEngine, SqlReader } from './runner/read-model-engine';
import { ReadModelDb } from './runner/read-model-db';
import { SqliteReadModelEngine } from './runner/sqlite-read-model-engine';

export const READ_MODELS_FILE = 'read-models.db';

export function readModelsPath(dataDir: string): string {
  return join(dataDir, READ_MODELS_FILE);
}

/**
 * Where the live read models are: with `databaseUrl` (DATABASE_URL) the schema `read_models` of that
 * PostgreSQL database, shared by every server on it; else `<dataDir>/read-models.db`.
 */
export function liveReadModelEngine(dataDir: string, databaseUrl: string | undefined): ReadModelEngine {
  if (databaseUrl) return new PostgresReadModelEngine({ connectionString: databaseUrl });
  mkdirSync(dataDir, { recursive: true });
  return new SqliteReadModelEngine(readModelsPath(dataDir));
}

/**
 * The read side of one process. The read models live where the log does: in the PostgreSQL database of
 * a PostgreSQL log (DATABASE_URL), else in `<DATA_DIR>/read-models.db`. The runner starts on application
 * bootstrap (after every module is wired, so the store is open) and stops on shutdown.
 * - On PostgreSQL, servers sharing the database elect one projector by a lease (LeasedProjector); the
 *   others read, and wait for positions on the checkpoints in the database.
 * - When the log is a SQLite file the runner works in the projector thread, on its own connections, so
 *   projecting takes no time from the event loop serving requests; any other store (EventStoreDB, the
 *   in-memory one of tests) is followed in this thread.
 * - A process that does not follow the log (`'FOLLOWS_LOG'` false: a cluster worker other than the first)
 *   projects nothing and waits for positions on the checkpoints the first one commits (CheckpointFollower).
 */
@Injectable()
export class ReadModels implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  store!: ReadModelDb;
  runner!: ReadSide;
  private readonly logger = new Logger('Projections');
  private readonly engine: ReadModelEngine;

  constructor(
    @Inject('EVENT_STORE') readonly eventStore: EventStore,
    @Inject('DATA_DIR') private readonly dataDir: string,
    @Optional() @Inject('FOLLOWS_LOG') private readonly followsLog: boolean = true,
  ) {
    this.engine = liveReadModelEngine(dataDir, eventStore instanceof PostgresEventStore ? eventStore.connectionString : undefined);
  }

  /** What the queries read through. */
  get reader(): SqlReader {
    return this.store.reader;
  }

  async onModuleInit(): Promise<void> {
    this.store = await ReadModelDb.open(this.engine, ALL_PROJECTIONS);
    const logger = { log: (m: string) => this.logger.debug(m), error: (m: string) => this.logger.error(m) };
    const eventStore = this.eventStore;
    if (!this.followsLog) this.runner = new CheckpointFollower(this.store);
    else if (eventStore instanceof PostgresEventStore && this.engine instanceof PostgresReadModelEngine) {
      this.runner = new LeasedProjector(eventStore, this.store, { connectionString: eventStore.connectionString!, logger });
    } else if (eventStore instanceof SqliteEventStore) {
      const file = readModelsPath(this.dataDir);
      this.runner = new ProjectorThread({ eventsFile: eventStore.file, readModelsFile: file }, await statusOf(this.store), logger);
    } else this.runner = new ProjectionRunner(eventStore, this.store, { logger });
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner?.stop();
    await this.store?.close();
  }
}

/** The checkpoints as stored, before the projector thread reports its own. */
async function statusOf(store: ReadModelDb): Promise<ReturnType<ReadSide['status']>> {
  const checkpoints = await store.checkpoints();
  return store.projections.map((p) => ({ name: p.name, version: p.version, position: checkpoints.get(p.name)?.position ?? 0, failure: null }));
}
