import { Consumer, Kafka, logLevel } from 'kafkajs';
import { kafkaClientOptions, parseKafkaValue, RelayConfig } from '@cbec/messaging';
import type { AnyIntegrationEvent } from '@cbec/messaging';
import type { ReportingDb } from '../reports/reporting-db';

export interface KafkaSourceConfig extends Pick<RelayConfig, 'brokers' | 'clientId' | 'ssl' | 'sasl'> {
  topic: string;
  groupId: string;
}

export interface SourceLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/**
 * A kafkajs consumer group feeding ReportingDb. Each fetched batch is one SQLite transaction (rows +
 * the partition's next offset); offsets are committed to Kafka too, for the operators' lag tools, but
 * on every assignment the consumer seeks to the offsets of its own table, which are the truth.
 */
export class KafkaReportSource {
  private readonly kafka: Kafka;
  private consumer?: Consumer;
  private received = 0;
  private lastError?: string;
  onEvents?: (events: AnyIntegrationEvent[]) => void;

  constructor(
    private readonly db: ReportingDb,
    private readonly config: KafkaSourceConfig,
    private readonly logger: SourceLogger,
  ) {
    this.kafka = new Kafka({ ...kafkaClientOptions(config), logLevel: logLevel.NOTHING });
  }

  status(): Record<string, unknown> {
    return { source: 'kafka', topic: this.config.topic, groupId: this.config.groupId, received: this.received, lastError: this.lastError ?? null };
  }

  async start(): Promise<void> {
    const consumer = this.kafka.consumer({
      groupId: this.config.groupId,
      sessionTimeout: 10_000,
      heartbeatInterval: 1_000,
      rebalanceTimeout: 10_000,
      maxWaitTimeInMs: 200,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 10_000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, (e) => {
      void this.seekToOwnOffsets(e.payload.memberAssignment).catch((err: Error) => {
        this.lastError = err.message;
        this.logger.error(`cannot seek to the stored offsets: ${err.message}`);
      });
    });
    consumer.on(consumer.events.CRASH, (e) => {
      this.lastError = String(e.payload.error?.message ?? e.payload.error);
      this.logger.error(`consumer crashed (${this.lastError}); restart=${e.payload.restart}`);
    });
    await consumer.connect();
    await consumer.subscribe({ topic: this.config.topic, fromBeginning: true });
    await consumer.run({
      eachBatchAutoResolve: false,
      autoCommit: true,
      autoCommitInterval: 1_000,
      eachBatch: async ({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isStale }) => {
        // A batch fetched before our seek landed is from the group's (older) committed offset: skip it.
        if (batch.messages.length === 0 || isStale()) return;
        const events = batch.messages.map((m) => parseKafkaValue(m.value));
        const last = batch.messages[batch.messages.length - 1].offset;
        this.db.applyBatch(events, { kind: 'kafka', topic: batch.topic, partition: batch.partition, nextOffset: Number(last) + 1 });
        this.received += events.length;
        this.onEvents?.(events);
        resolveOffset(last);
        await commitOffsetsIfNecessary();
        await heartbeat();
      },
    });
    this.logger.info(`consuming ${this.config.topic} as group ${this.config.groupId}`);
  }

  private async seekToOwnOffsets(assignment: Record<string, number[]>): Promise<void> {
    const partitions = assignment[this.config.topic] ?? [];
    if (partitions.length === 0) return;
    const stored = this.db.kafkaOffsets(this.config.topic);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const bounds = await admin.fetchTopicOffsets(this.config.topic);
      for (const partition of partitions) {
        const low = Number(bounds.find((b) => b.partition === partition)?.low ?? 0);
        // A partition this database never saw starts at the beginning: the Kafka commit could be from
        // another database file of the same group, whose rows are not here.
        const offset = Math.max(stored.get(partition) ?? low, low);
        this.consumer?.seek({ topic: this.config.topic, partition, offset: String(offset) });
      }
    } finally {
      await admin.disconnect();
    }
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}
