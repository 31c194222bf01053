import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';
import type { EventStore, RecordedEvent, Subscription } from '@cbec/event-store';
import { IntegrationEventMapper } from '../mapping/integration-event-mapper';
import { domainTypesFor } from '../mapping/to-integration-event';
import { INTEGRATION_EVENT_TYPES } from '../contract/integration-events';
import { IntegrationKafkaMessage, toKafkaMessage } from './kafka-message';
import { kafkaClientOptions, RelayConfig } from './kafka-config';
import { PostgresRelayCheckpoint, RelayCheckpoint, type RelayCheckpointStore } from './relay-checkpoint';

export interface RelayLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const consoleRelayLogger: RelayLogger = {
  info: (m) => console.log(`relay: ${m}`),
  warn: (m) => console.warn(`relay: ${m}`),
  error: (m) => console.error(`relay: ${m}`),
};

export type RelayState = 'idle' | 'connecting' | 'running' | 'retrying' | 'stopped' | 'failed';

export interface RelayStatus {
  state: RelayState;
  topic: string;
  /** Global position up to which the broker acknowledged everything. */
  checkpoint: number;
  /** Events read from the store and not yet acknowledged. */
  pending: number;
  published: number;
  /** Produce requests sent (published / sends = the average batch). */
  sends: number;
  /** Time spent waiting for the broker's acknowledgements, ms. */
  sendMillis: number;
  lastError?: string;
}

interface Pending {
  position: number;
  message: IntegrationKafkaMessage | null;
}

/**
 * The outbox relay: a checkpointed subscription on the store that publishes the contract events to
 * Kafka. At-least-once by construction: the checkpoint moves only after the broker acknowledged
 * (acks=-1, idempotent producer), so a crash between the two republishes, never skips; consumers
 * deduplicate by eventId. Sends are batched by the natural Nagle rule: while one batch is in flight,
 * the next one accumulates. When the broker is unreachable the relay says so, keeps its place and
 * retries with backoff; the subscription waits once `maxBuffered` events are held.
 */
export class Relay {
  private readonly kafka: Kafka;
  private readonly checkpointName: string;
  private readonly mapper: IntegrationEventMapper;
  private checkpoints?: RelayCheckpointStore;
  private producer?: Producer;
  private subscription?: Subscription;
  private buffer: Pending[] = [];
  private state: RelayState = 'idle';
  private checkpoint = 0;
  private published = 0;
  private sends = 0;
  private sendMillis = 0;
  private accepted = 0;
  private lastError?: string;
  private lastBrokerError?: string;
  private stopping = false;
  private closing = false;
  private wake?: () => void;
  private drainedWaiters: Array<() => void> = [];
  private checkpointWaiters: Array<{ position: number; resolve: () => void }> = [];
  private pump?: Promise<void>;

  constructor(
    private readonly store: EventStore,
    private readonly config: RelayConfig,
    private readonly logger: RelayLogger = consoleRelayLogger,
  ) {
    // kafkajs' own log lines are not printed; the last error is kept so the relay's warnings can name it.
    this.kafka = new Kafka({
      ...kafkaClientOptions(config),
      // Few client-level retries: the relay's loop retries for as long as it takes, and says so.
      retry: { initialRetryTime: 200, maxRetryTime: 1_000, retries: 2 },
      logLevel: logLevel.ERROR,
      logCreator: () => (entry) => {
        const m = entry.log as { message?: string; error?: string };
        this.lastBrokerError = [m.message, m.error].filter(Boolean).join(': ');
      },
    });
    this.checkpointName = `kafka:${config.topic}`;
    this.mapper = new IntegrationEventMapper(store);
  }

  /** Starts in the background: returns once subscribed; connecting and publishing go on, with retries. */
  async start(): Promise<void> {
    if (this.state !== 'idle') throw new Error(`relay already ${this.state}`);
    this.checkpoints = this.config.databaseUrl
      ? new PostgresRelayCheckpoint(this.config.databaseUrl)
      : new RelayCheckpoint(join(this.config.dataDir, 'relay-checkpoint.db'));
    this.checkpoint = await this.checkpoints.get(this.checkpointName);
    this.state = 'connecting';
    this.logger.info(`publishing to topic ${this.config.topic} on ${this.config.brokers.join(',')} from global position ${this.checkpoint}`);
    this.subscription = this.store.subscribe(
      {
        fromCheckpoint: this.checkpoint,
        filter: { eventTypes: domainTypesFor(INTEGRATION_EVENT_TYPES) },
        name: `relay:${this.config.topic}`,
      },
      (event) => this.accept(event),
    );
    void this.subscription.done.then(() => {
      if (this.subscription?.state === 'failed' && !this.stopping) {
        this.state = 'failed';
        this.lastError = String((this.subscription.error as Error)?.message ?? this.subscription.error);
        this.logger.error(`the store subscription failed at position ${this.subscription.position}: ${this.lastError}`);
      }
    });
    this.pump = this.run();
  }

  status(): RelayStatus {
    return {
      state: this.state,
      topic: this.config.topic,
      checkpoint: this.checkpoint,
      pending: this.buffer.length,
      published: this.published,
      sends: this.sends,
      sendMillis: Math.round(this.sendMillis),
      ...(this.lastError ? { lastError: this.lastError } : {}),
    };
  }

  /** Resolves once everything up to `position` is acknowledged (or rejects after `timeoutMs`). */
  waitForCheckpoint(position: number, timeoutMs = 30_000): Promise<void> {
    if (this.checkpoint >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`relay checkpoint ${this.checkpoint} did not reach ${position} within ${timeoutMs} ms (${JSON.stringify(this.status())})`)),
        timeoutMs,
      );
      this.checkpointWaiters.push({
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  /** Stops reading, publishes what is held (up to `drainMs`), and disconnects. */
  async stop(drainMs = 10_000): Promise<void> {
    if (this.state === 'stopped' || this.state === 'idle') return;
    // Release a handler waiting for room, or the subscription could never stop while the broker is away.
    this.closing = true;
    this.drainedWaiters.splice(0).forEach((w) => w());
    await this.subscription?.stop();
    const deadline = Date.now() + drainMs;
    while (this.buffer.length > 0 && Date.now() < deadline && this.state !== 'failed') {
      await new Promise((r) => setTimeout(r, 20));
    }
    if (this.buffer.length > 0) {
      this.logger.warn(`stopping with ${this.buffer.length} events not acknowledged; they are republished from checkpoint ${this.checkpoint} next start`);
    }
    this.stopping = true;
    this.wake?.();
    // A connection attempt to an absent broker may take its full timeout: do not hold shutdown for it.
    await Promise.race([this.pump, new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()) + 100).unref())]);
    await this.producer?.disconnect().catch(() => undefined);
    await this.checkpoints?.close();
    this.state = 'stopped';
  }

  private async accept(event: RecordedEvent): Promise<void> {
    const contract = await this.mapper.map(event);
    this.buffer.push({ position: event.globalPosition, message: contract ? toKafkaMessage(contract) : null });
    this.wake?.();
    // A page of catch-up is one long microtask chain: yield now and then so the broker's answer to the
    // batch in flight is handled at once and the next send overlaps with the reading.
    if (++this.accepted % 64 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.buffer.length >= this.config.maxBuffered && !this.closing) {
      await new Promise<void>((resolve) => this.drainedWaiters.push(resolve));
    }
  }

  private async run(): Promise<void> {
    let backoff = 250;
    while (!this.stopping) {
      if (!this.producer) {
        try {
          await this.connect();
          backoff = 250;
          this.logger.info(`${this.state === 'retrying' ? 'reconnected' : 'connected'} to ${this.config.brokers.join(',')}; checkpoint ${this.checkpoint}`);
          if (this.state !== 'failed') this.state = 'running';
        } catch (e) {
          backoff = await this.retryLater('cannot reach Kafka', e, backoff);
          continue;
        }
      }
      if (this.buffer.length === 0) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
          if (this.buffer.length > 0 || this.stopping) resolve();
        });
        this.wake = undefined;
        continue;
      }
      await this.lingerWhileCatchingUp();
      const batch = this.buffer.slice(0, this.config.batchSize);
      const messages = batch.flatMap((p) => (p.message ? [p.message] : []));
      try {
        if (messages.length > 0) {
          const sendStarted = performance.now();
          await this.watch(this.producer!.send({ topic: this.config.topic, acks: -1, messages }), messages.length);
          this.sendMillis += performance.now() - sendStarted;
        }
      } catch (e) {
        // A fresh producer (new producer id) after a failed send: resending the same batch on the old
        // sequence numbers could be refused as out of order. Duplicates are possible; eventId dedups them.
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        backoff = await this.retryLater(`publishing ${messages.length} events failed`, e, backoff);
        continue;
      }
      this.buffer.splice(0, batch.length);
      this.published += messages.length;
      if (messages.length > 0) this.sends++;
      this.checkpoint = batch[batch.length - 1].position;
      try {
        await this.checkpoints!.put(this.checkpointName, this.checkpoint);
      } catch (e) {
        // The published events stay published; a stale checkpoint only republishes them after a restart.
        this.logger.warn(`could not store checkpoint ${this.checkpoint}: ${(e as Error).message}`);
      }
      if (this.state === 'retrying') this.logger.info(`the broker acknowledges again; checkpoint ${this.checkpoint}`);
      // A failed subscription stays visible: what is held still goes out, nothing new comes in.
      if (this.state !== 'failed') {
        this.state = 'running';
        this.lastError = undefined;
      }
      this.settleWaiters();
    }
  }

  /**
   * Catching up, the subscription reads a page at a time: let it fill a whole batch before sending, as
   * long as the buffer keeps growing (fewer, fuller produce requests). Live, a lone event goes at once.
   */
  private async lingerWhileCatchingUp(): Promise<void> {
    let seen = -1;
    while (this.buffer.length < this.config.batchSize && this.buffer.length > seen && this.subscription?.state === 'catching-up' && !this.stopping) {
      seen = this.buffer.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** The producer retries on its own for a while: say so while an acknowledgement is overdue. */
  private async watch<T>(send: Promise<T>, count: number): Promise<T> {
    const started = Date.now();
    const timer = setInterval(() => {
      if (this.state !== 'failed') this.state = 'retrying';
      this.lastError = this.lastBrokerError ?? 'no acknowledgement';
      this.logger.warn(
        `no acknowledgement from ${this.config.brokers.join(',')} for ${Math.round((Date.now() - started) / 1000)} s ` +
          `(${this.lastError}); the producer keeps retrying, checkpoint stays at ${this.checkpoint} (${this.buffer.length} events held, ${count} in flight)`,
      );
    }, 3_000);
    try {
      return await send;
    } finally {
      clearInterval(timer);
    }
  }

  private settleWaiters(): void {
    if (this.buffer.length < this.config.maxBuffered) {
      const waiters = this.drainedWaiters;
      this.drainedWaiters = [];
      waiters.forEach((w) => w());
    }
    const reached = this.checkpointWaiters.filter((w) => w.position <= this.checkpoint);
    this.checkpointWaiters = this.checkpointWaiters.filter((w) => w.position > this.checkpoint);
    reached.forEach((w) => w.resolve());
  }

  private async connect(): Promise<void> {
    const producer = this.kafka.producer({
      idempotent: true,
      // kafkajs keeps idempotent ordering only with one request in flight per broker.
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      retry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 5, factor: 0.2, multiplier: 2 },
    });
    try {
      // kafkajs would retry a refused connection for a long while; the relay's own loop retries with
      // backoff and says what is wrong each time, so one attempt is bounded here.
      await withTimeout(producer.connect(), 5_000, 'connect');
      if (this.config.createTopic) await this.ensureTopic();
    } catch (e) {
      void producer.disconnect().catch(() => undefined);
      throw e;
    }
    this.producer = producer;
  }

  private async ensureTopic(): Promise<void> {
    const admin = this.kafka.admin();
    try {
      await withTimeout(admin.connect(), 5_000, 'admin connect');
      const existing = await admin.listTopics();
      if (!existing.includes(this.config.topic)) {
        await admin.createTopics({
          topics: [{ topic: this.config.topic, numPartitions: this.config.partitions, replicationFactor: this.config.replicationFactor }],
          waitForLeaders: true,
        });
        this.logger.info(`created topic ${this.config.topic} (${this.config.partitions} partitions)`);
      }
    } catch (e) {
      const type = (e as { type?: string }).type ?? '';
      if (/AUTHORIZATION/.test(type) || /AUTHORIZATION/.test(String((e as Error).message))) {
        this.logger.warn(`not allowed to create topic ${this.config.topic} (${(e as Error).message}); publishing assumes it exists`);
      } else if (type !== 'TOPIC_ALREADY_EXISTS') {
        throw e;
      }
    } finally {
      void admin.disconnect().catch(() => undefined);
    }
  }

  private async retryLater(what: string, e: unknown, backoff: number): Promise<number> {
    if (this.state !== 'failed') this.state = 'retrying';
    this.lastError = [(e as Error)?.message ?? String(e), this.lastBrokerError].filter(Boolean).join('; ');
    this.logger.warn(
      `${what} at ${this.config.brokers.join(',')} (${this.lastError}); retrying in ${backoff} ms, ` +
        `checkpoint stays at ${this.checkpoint} (${this.buffer.length} events held)`,
    );
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, backoff);
      this.wake = () => {
        if (this.stopping) {
          clearTimeout(timer);
          resolve();
        }
      };
    });
    this.wake = undefined;
    return Math.min(backoff * 2, 15_000);
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Nest-free entry point for the app: starts a relay for `store` from env-derived `config`. */
export async function startRelay(store: EventStore, config: RelayConfig, logger?: RelayLogger): Promise<Relay> {
  const relay = new Relay(store, config, logger);
  await relay.start();
  return relay;
}
