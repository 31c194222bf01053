import { BeforeApplicationShutdown, DynamicModule, Inject, Injectable, Logger, Module, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { type EventStore, PostgresLease } from '@cbec/event-store';
import { relayConfigFromEnv } from './kafka-config';
import { Relay } from './relay';

export const RELAY_ENV = 'CBEC_RELAY_ENV';
/** Set by the cluster in the workers that do not relay: the slot of the worker that does. */
export const RELAY_WORKER_ENV = 'CBEC_KAFKA_RELAY_WORKER';

/** What a server without its own relay says at start-up. */
export function noRelayLine(env: NodeJS.ProcessEnv): string {
  const worker = env[RELAY_WORKER_ENV];
  return worker
    ? `the Kafka relay runs in worker ${worker} of this cluster (one relay per data dir); this worker serves the SSE feed`
    : 'KAFKA_BROKERS is not set: integration events are served by the SSE feed only';
}

/** Starts the Kafka relay with the app when KAFKA_BROKERS is set; stops it (after a bounded drain) on shutdown. */
@Injectable()
export class KafkaRelayLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KafkaRelay');
  relay?: Relay;
  /** With DATABASE_URL: the lease that says which server relays. */
  private lease?: PostgresLease;

  constructor(
    @Inject('EVENT_STORE') private readonly store: EventStore,
    @Inject(RELAY_ENV) private readonly env: NodeJS.ProcessEnv,
    @Optional() @Inject('DATA_DIR') private readonly dataDir?: string,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.env.KAFKA_BROKERS) {
      this.logger.log(noRelayLine(this.env));
      return;
    }
    const config = relayConfigFromEnv(this.env, this.dataDir ? { dataDir: this.dataDir } : {});
    const logger = { info: (m: string) => this.logger.log(m), warn: (m: string) => this.logger.warn(m), error: (m: string) => this.logger.error(m) };
    if (!config.databaseUrl) {
      this.relay = new Relay(this.store, config, logger);
      await this.relay.start();
      return;
    }
    // Servers sharing one database take turns: the relay runs in the holder of the lease, from the
    // checkpoint in the database; when the holder dies another server takes over within seconds.
    this.lease = new PostgresLease({
      connectionString: config.databaseUrl,
      name: `kafka-relay:${config.topic}`,
      logger: { log: (m) => this.logger.log(m), error: (m) => this.logger.error(m) },
      onAcquired: async () => {
        this.relay = new Relay(this.store, config, logger);
        await this.relay.start();
      },
      onReleased: async () => {
        const relay = this.relay;
        this.relay = undefined;
        await relay?.stop(5_000);
      },
    });
    this.lease.start();
  }

  /** Before the store closes (its own onApplicationShutdown): the subscription must stop first. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.lease) await this.lease.stop();
    else await this.relay?.stop(5_000);
  }
}

@Module({})
export class KafkaRelayModule {
  static forRoot(env: NodeJS.ProcessEnv = process.env): DynamicModule {
    return {
      module: KafkaRelayModule,
      providers: [{ provide: RELAY_ENV, useValue: env }, KafkaRelayLifecycle],
      exports: [KafkaRelayLifecycle],
    };
  }
}
