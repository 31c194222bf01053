import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown, Provider } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { getPolicy, Policy } from '@cbec/domain';
import { EventStore } from '@cbec/event-store';
import { CLOCK, Clock, DATA_DIR, DATABASE_URL, EVENT_STORE, FOLLOWS_LOG, POLICY, systemClock, AggregateStore } from '@cbec/platform';
import { CommandContextGuard } from './command-context.guard';
import { IdempotencyStore, SqliteIdempotencyStore } from './idempotency.store';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

export interface WorkflowCoreOptions {
  dataDir: string;
  /** The store instance, or a factory (closed on shutdown either way). */
  eventStore: EventStore | ((dataDir: string) => EventStore | Promise<EventStore>);
  clock?: Clock;
  policy?: Policy;
  /** `'FOLLOWS_LOG'` (default true): false in a cluster worker other than the first. */
  followsLog?: boolean;
  /** DATABASE_URL: the stores that have a PostgreSQL adapter live there (`'DATABASE_URL'`, null without). */
  databaseUrl?: string;
}

@Injectable()
class CoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly answers: IdempotencyStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.answers.close();
    await this.store.close();
  }
}

/**
 * The global providers of the workflow app (workflow-shared contract): `'EVENT_STORE'`, `'CLOCK'`,
 * `'POLICY'`, `'DATA_DIR'`, `'DATABASE_URL'`, `'FOLLOWS_LOG'`, the AggregateStore, and the command guard (context + Idempotency-Key; AuthModule installs it after the JWT guard).
 */
@Global()
@Module({})
export class WorkflowCoreModule {
  static forRoot(options: WorkflowCoreOptions): DynamicModule {
    mkdirSync(options.dataDir, { recursive: true });
    const { eventStore } = options;
    const providers: Provider[] = [
      { provide: DATA_DIR, useValue: options.dataDir },
      {
        provide: EVENT_STORE,
        useFactory: async () => (typeof eventStore === 'function' ? eventStore(options.dataDir) : eventStore),
      },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: POLICY, useValue: options.policy ?? getPolicy() },
      { provide: FOLLOWS_LOG, useValue: options.followsLog ?? true },
      { provide: DATABASE_URL, useValue: options.databaseUrl ?? null },
      {
        provide: IdempotencyStore,
        useFactory: () => (options.databaseUrl ? new PostgresIdempotencyStore(options.databaseUrl) : new SqliteIdempotencyStore(options.dataDir)),
      },
      AggregateStore,
      CommandContextGuard,
      CoreLifecycle,
    ];
    return {
      module: WorkflowCoreModule,
      providers,
      exports: [DATA_DIR, DATABASE_URL, EVENT_STORE, CLOCK, POLICY, FOLLOWS_LOG, IdempotencyStore, AggregateStore, CommandContextGuard],
    };
  }
}
