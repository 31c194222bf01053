import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy, Optional } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { type EventStore, SqliteEventStore } from '@cbec/event-store';
import { ALL_PROJECTIONS } from './projections';
import { CheckpointFollower } from './runner/checkpoint-follower';
import { ProjectionRunner, type ReadSide } from './runner/projection-runner';
import { ProjectorThread } from './runner/projector-thread';
import { ReadModelDb } from './runner/read-model-db';

export const READ_MODELS_FILE = 'read-models.db';

export function readModelsPath(dataDir: string): string {
  return join(dataDir, READ_MODELS_FILE);
}

/**
 * The read side of one process: `<DATA_DIR>/read-models.db` and the runner feeding it. The runner starts
 * on application bootstrap (after every module is wired, so the store is open) and stops on shutdown.
 * When the log is a SQLite file the runner works in the projector thread, on its own connections, so
 * projecting takes no time from the event loop serving requests; any other store (EventStoreDB, the
 * in-memory one of tests) is followed in this thread. Queries read the same file either way. A process
 * that does not follow the log (`'FOLLOWS_LOG'` false: a cluster worker other than the first) projects
 * nothing and waits for positions on the checkpoints the first one commits (CheckpointFollower).
 */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, OnModuleDestroy {
  readonly store: ReadModelDb;
  readonly runner: ReadSide;
  private readonly logger = new Logger('Projections');

  constructor(
    @Inject('EVENT_STORE') readonly eventStore: EventStore,
    @Inject('DATA_DIR') dataDir: string,
    @Optional() @Inject('FOLLOWS_LOG') followsLog: boolean = true,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.store = ReadModelDb.open(readModelsPath(dataDir), ALL_PROJECTIONS);
    const logger = { log: (m: string) => this.logger.debug(m), error: (m: string) => this.logger.error(m) };
    this.runner = !followsLog
      ? new CheckpointFollower(this.store)
      : eventStore instanceof SqliteEventStore
        ? new ProjectorThread({ eventsFile: eventStore.file, readModelsFile: readModelsPath(dataDir) }, statusOf(this.store), logger)
        : new ProjectionRunner(eventStore, this.store, { logger });
  }

  get db(): Database.Database {
    return this.store.db;
  }

  onApplicationBootstrap(): void {
    this.runner.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
    this.store.close();
  }
}

/** The checkpoints as stored, before the projector thread reports its own. */
function statusOf(store: ReadModelDb): ReturnType<ReadSide['status']> {
  const checkpoints = store.checkpoints();
  return store.projections.map((p) => ({ name: p.name, version: p.version, position: checkpoints.get(p.name)?.position ?? 0, failure: null }));
}
