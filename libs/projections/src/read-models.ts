import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { EventStore } from '@cbec/event-store';
import { ALL_PROJECTIONS } from './projections';
import { ProjectionRunner } from './runner/projection-runner';
import { ReadModelDb } from './runner/read-model-db';

export const READ_MODELS_FILE = 'read-models.db';

export function readModelsPath(dataDir: string): string {
  return join(dataDir, READ_MODELS_FILE);
}

/**
 * The read side of one process: `<DATA_DIR>/read-models.db` and the runner feeding it. The runner starts
 * on application bootstrap (after every module is wired, so the store is open) and stops on shutdown.
 */
@Injectable()
export class ReadModels implements OnApplicationBootstrap, OnModuleDestroy {
  readonly store: ReadModelDb;
  readonly runner: ProjectionRunner;
  private readonly logger = new Logger('Projections');

  constructor(@Inject('EVENT_STORE') readonly eventStore: EventStore, @Inject('DATA_DIR') dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.store = ReadModelDb.open(readModelsPath(dataDir), ALL_PROJECTIONS);
    this.runner = new ProjectionRunner(eventStore, this.store, {
      logger: { log: (m) => this.logger.debug(m), error: (m) => this.logger.error(m) },
    });
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
