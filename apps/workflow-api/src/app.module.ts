import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from '@cbec/audit';
import { EventsFeedModule, KafkaRelayModule } from '@cbec/messaging';
import { ProjectionsModule } from '@cbec/projections';
import { Clock, dataDirFromEnv, systemClock } from '@cbec/platform';
import { AuthModule, ProcessModule, WorkflowCommandsModule, WorkflowCoreModule } from '@cbec/workflow';
import { EventStore, secureDataFolder } from '@cbec/event-store';
import { clockFromEnv } from './clock-from-env';
import { WORKER_SLOT_ENV } from './cluster';
import { openEventStore } from './event-store.factory';
import { HealthController } from './health.controller';
import { AUDIT_HEADS_ENV, AuditHeadsKafka } from './audit-heads.kafka';

export interface AppOptions {
  /** Default: CBEC_DATA_DIR, else ./data. */
  dataDir?: string;
  /** Default: SQLite in the data dir; PostgreSQL when DATABASE_URL is set, EventStoreDB when EVENTSTORE_CONNECTION_STRING is. */
  eventStore?: EventStore;
  clock?: Clock;
  env?: NodeJS.ProcessEnv;
  /**
   * Whether this process follows the log (projections, the approval process's state, audit digests).
   * Default: yes, unless it is a cluster worker other than the first (`CBEC_WORKER_SLOT` > 1).
   */
  followsLog?: boolean;
}

/**
 * The workflow service: global providers (store, clock, policy, data dir), JWT auth, the commands
 * (libs/workflow), the read side (libs/projections), the approval process, and the integration-event
 * feed (SSE; Kafka relay when KAFKA_BROKERS is set), and the auditors' API with its digests and read log (issue 6).
 */
@Module({})
export class AppModule {
  static forRoot(options: AppOptions = {}): DynamicModule {
    const env = options.env ?? process.env;
    const dataDir = options.dataDir ?? dataDirFromEnv(env);
    // Before any store opens a file: the data folder is the owner's alone (docs/operations.md).
    secureDataFolder(dataDir);
    return {
      module: AppModule,
      imports: [
        CqrsModule.forRoot(),
        WorkflowCoreModule.forRoot({
          dataDir,
          eventStore: options.eventStore ?? ((dir) => openEventStore(dir, env)),
          clock: clockFromEnv(options.clock ?? systemClock, env),
          // One follower of the log per data dir: N workers each projecting, folding and signing every
          // event did the same work N times and contended for the same files' write locks.
          followsLog: options.followsLog ?? (env[WORKER_SLOT_ENV] ?? '1') === '1',
          databaseUrl: env.DATABASE_URL?.trim() || undefined,
        }),
        AuthModule.forRoot(env),
        WorkflowCommandsModule,
        ProjectionsModule,
        ProcessModule,
        EventsFeedModule,
        KafkaRelayModule.forRoot(env),
        AuditModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: AUDIT_HEADS_ENV, useValue: env }, AuditHeadsKafka],
    };
  }
}
