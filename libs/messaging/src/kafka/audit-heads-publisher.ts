import { Kafka, logLevel, type Producer } from 'kafkajs';
import { kafkaClientOptions, type RelayConfig } from './kafka-config';

/** The topic every signed audit tree head is published to (docs/auditing.md): one partition, in order. */
export const AUDIT_HEADS_TOPIC = 'cbec.audit-heads.v1';

/** A signed tree head as published: its JSON is the message value, its size the key. */
export interface PublishedHead {
  treeSize: number;
}

/** Heads held while the broker is away; older ones are dropped first (each head covers the ones before it). */
const MAX_PENDING = 100;

/**
 * A witness of the audit log's tree heads on Kafka: each head the server signs is sent to
 * `cbec.audit-heads.v1`, where the data folder's owner cannot rewrite it. Best effort: the witness file and
 * `GET /audit/tree-head` stand without it; a head that cannot be sent is retried with the next one, and
 * the latest `MAX_PENDING` are kept while the broker is away.
 */
export class AuditHeadsPublisher {
  private readonly kafka: Kafka;
  private producer?: Producer;
  private pending: PublishedHead[] = [];
  private sending: Promise<void> | null = null;
  private stopped = false;
  private lastWarning = '';

  constructor(
    private readonly config: Pick<RelayConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl' | 'createTopic' | 'replicationFactor'>,
    private readonly logger: { log(message: string): void; warn(message: string): void },
    readonly topic = AUDIT_HEADS_TOPIC,
  ) {
    this.kafka = new Kafka({ ...kafkaClientOptions(config), retry: { initialRetryTime: 200, maxRetryTime: 1_000, retries: 2 }, logLevel: logLevel.NOTHING });
  }

  publish(head: PublishedHead): void {
    if (this.stopped) return;
    this.pending.push(head);
    if (this.pending.length > MAX_PENDING) this.pending.splice(0, this.pending.length - MAX_PENDING);
    this.sending ??= this.flush().finally(() => {
      this.sending = null;
    });
  }

  /** Resolves once what was handed over has been sent, or set aside after a failed send. */
  async drained(): Promise<void> {
    await this.sending;
  }

  /** Sends what is pending (bounded wait) and disconnects. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.sending?.catch(() => undefined);
    await this.producer?.disconnect().catch(() => undefined);
    this.producer = undefined;
  }

  private async flush(): Promise<void> {
    while (this.pending.length) {
      const batch = this.pending;
      this.pending = [];
      try {
        const producer = await this.connected();
        await producer.send({
          topic: this.topic,
          acks: -1,
          messages: batch.map((h) => ({ key: String(h.treeSize), value: JSON.stringify(h), headers: { 'content-type': 'application/json' } })),
        });
        this.lastWarning = '';
      } catch (e) {
        // Kept for the next head: a later head covers the earlier ones, so nothing waits on a retry loop.
        this.pending = [...batch, ...this.pending].slice(-MAX_PENDING);
        const warning = `could not publish ${batch.length} audit tree head(s) to ${this.topic}: ${(e as Error).message}; sent with the next head`;
        if (warning !== this.lastWarning) this.logger.warn(warning);
        this.lastWarning = warning;
        await this.producer?.disconnect().catch(() => undefined);
        this.producer = undefined;
        return;
      }
    }
  }

  private async connected(): Promise<Producer> {
    if (this.producer) return this.producer;
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: true });
    await withTimeout(producer.connect(), 5_000, 'connect');
    if (this.config.createTopic) {
      const admin = this.kafka.admin();
      try {
        await withTimeout(admin.connect(), 5_000, 'admin connect');
        if (!(await admin.listTopics()).includes(this.topic)) {
          await admin.createTopics({
            topics: [{ topic: this.topic, numPartitions: 1, replicationFactor: this.config.replicationFactor }],
            waitForLeaders: true,
          });
          this.logger.log(`created topic ${this.topic} (1 partition: heads in order)`);
        }
      } catch (e) {
        if ((e as { type?: string }).type !== 'TOPIC_ALREADY_EXISTS')
          this.logger.warn(`could not create ${this.topic} (${(e as Error).message}); publishing assumes it exists`);
      } finally {
        void admin.disconnect().catch(() => undefined);
      }
    }
    this.producer = producer;
    return producer;
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
