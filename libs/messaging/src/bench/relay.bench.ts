import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';
import { openSqliteEventStore, SqliteEventStore } from '@cbec/event-store';
import { kafkaClientOptions, relayConfigFromEnv } from '../kafka/kafka-config';
import { IntegrationKafkaMessage, toKafkaMessage } from '../kafka/kafka-message';
import { Relay } from '../kafka/relay';
import { IntegrationEventMapper } from '../mapping/integration-event-mapper';
import { scenario, StreamAppend } from '../testing/case-lifecycle.fixture';

/**
 * `npm run bench:relay`: the relay against a bare kafkajs producer sending the same messages to the same
 * broker with the same settings (idempotent, acks=-1, one request in flight, batches of 500), then the
 * end-to-end lag (append called -> record received by a consumer) at 1,000 events/s.
 * Needs a broker: KAFKA_BROKERS (default 127.0.0.1:19092, started by infra/kafka/kafka.sh start).
 * Prints a table; the last line is one JSON object with every figure.
 */

const BROKERS = (process.env.KAFKA_BROKERS || '127.0.0.1:19092').split(',');
const THROUGHPUT_CASES = Number(process.env.BENCH_CASES ?? 1200);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 1000);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const BATCH = 500;
const run = `${Date.now().toString(36)}-${process.pid}`;
const quiet = { info: () => undefined, warn: (m: string) => console.error(`relay: ${m}`), error: (m: string) => console.error(`relay: ${m}`) };

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function fill(store: SqliteEventStore, appends: StreamAppend[]): Promise<void> {
  // Bulk load: many appends in flight share the store's group commit.
  for (let i = 0; i < appends.length; i += 200) {
    await Promise.all(appends.slice(i, i + 200).map((a) => store.append(a.streamId, [a.event], { expectedVersion: 'any' })));
  }
}

async function contractMessages(store: SqliteEventStore): Promise<IntegrationKafkaMessage[]> {
  const mapper = new IntegrationEventMapper(store);
  const out: IntegrationKafkaMessage[] = [];
  for await (const e of store.readAll()) {
    const m = await mapper.map(e);
    if (m) out.push(toKafkaMessage(m));
  }
  return out;
}

async function createTopic(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 6, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
}

async function relayThroughput(dir: string, store: SqliteEventStore, expected: number): Promise<{ seconds: number; published: number }> {
  const topic = `bench-relay-${run}`;
  const relay = new Relay(
    store,
    relayConfigFromEnv({ KAFKA_BROKERS: BROKERS.join(',') }, { topic, dataDir: join(dir, 'relay-a'), partitions: 6, batchSize: BATCH, maxBuffered: 10_000 }),
    quiet,
  );
  // Topic creation and connection are not part of the measured publishing.
  await createTopic(new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING }), topic);
  const started = process.hrtime.bigint();
  await relay.start();
  await relay.waitForCheckpoint(await store.headPosition(), 300_000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const published = relay.status().published;
  await relay.stop();
  if (published !== expected) throw new Error(`relay published ${published}, expected ${expected}`);
  return { seconds, published };
}

async function bareThroughput(messages: IntegrationKafkaMessage[]): Promise<{ seconds: number }> {
  const topic = `bench-bare-${run}`;
  const kafka = new Kafka({ ...kafkaClientOptions({ brokers: BROKERS, clientId: 'bench-bare', ssl: false }), logLevel: logLevel.NOTHING });
  await createTopic(kafka, topic);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const started = process.hrtime.bigint();
  for (let i = 0; i < messages.length; i += BATCH) {
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + BATCH) });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return { seconds };
}

async function endToEndLag(dir: string): Promise<{ p50: number; p99: number; max: number; received: number; offeredRate: number }> {
  const topic = `bench-lag-${run}`;
  const store = openSqliteEventStore({ directory: join(dir, 'lag-store'), synchronous: 'FULL' });
  const kafka = new Kafka({ brokers: BROKERS, clientId: 'bench-lag', logLevel: logLevel.NOTHING });
  await createTopic(kafka, topic);
  const relay = new Relay(store, relayConfigFromEnv({ KAFKA_BROKERS: BROKERS.join(',') }, { topic, dataDir: join(dir, 'relay-b'), batchSize: BATCH }), quiet);
  await relay.start();

  const appendedAt = new Map<string, number>();
  const lags: number[] = [];
  const consumer = kafka.consumer({ groupId: `bench-lag-${run}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined!: () => void;
  const ready = new Promise<void>((r) => (joined = r));
  consumer.on(consumer.events.GROUP_JOIN, () => joined());
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now();
      for (const m of batch.messages) {
        const t = appendedAt.get(String(m.headers?.['event-id']));
        if (t !== undefined) lags.push(now - t);
      }
    },
  });
  await ready;

  const appends = scenario(`lag-${run}`, Math.ceil((LAG_RATE * LAG_SECONDS) / 15) + 2).slice(0, LAG_RATE * LAG_SECONDS);
  const tick = 10;
  const perTick = Math.max(1, Math.round((LAG_RATE * tick) / 1000));
  const t0 = performance.now();
  let i = 0;
  let publishable = 0;
  const unpublished = new Set(['AwardReserved', 'ReservationConfirmed', 'ApplicationObjected', 'ApplicationReadyForDecision']);
  while (i < appends.length) {
    const due = Math.min(appends.length, Math.floor(((performance.now() - t0) / 1000) * LAG_RATE) + perTick);
    const slice = appends.slice(i, due);
    i = due;
    await Promise.all(
      slice.map(async (a) => {
        // Timed from the append call: the lag includes the store's commit (fsync) as a user would see it.
        appendedAt.set(a.event.eventId, performance.now());
        if (!unpublished.has(a.event.type)) publishable++;
        await store.append(a.streamId, [a.event], { expectedVersion: 'any' });
      }),
    );
    await new Promise((r) => setTimeout(r, tick));
  }
  const offeredRate = appends.length / ((performance.now() - t0) / 1000);
  const deadline = Date.now() + 30_000;
  while (lags.length < publishable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  await consumer.disconnect();
  await relay.stop();
  await store.close();
  const sorted = [...lags].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1], received: lags.length, offeredRate };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cbec-bench-relay-'));
  try {
    const store = openSqliteEventStore({ directory: join(dir, 'store'), synchronous: 'NORMAL' });
    await fill(store, scenario(`bench-${run}`, THROUGHPUT_CASES));
    const messages = await contractMessages(store);
    const relay = await relayThroughput(dir, store, messages.length);
    await store.close();
    const bare = await bareThroughput(messages);
    const lag = await endToEndLag(dir);

    const relayRate = relay.published / relay.seconds;
    const bareRate = messages.length / bare.seconds;
    const figures = {
      brokers: BROKERS.join(','),
      events: messages.length,
      bytesPerMessage: Math.round(messages.reduce((n, m) => n + m.value.length, 0) / messages.length),
      relayEventsPerSec: Math.round(relayRate),
      bareProducerEventsPerSec: Math.round(bareRate),
      relayToBareRatio: Number((relayRate / bareRate).toFixed(3)),
      lagOfferedEventsPerSec: Math.round(lag.offeredRate),
      lagReceived: lag.received,
      lagP50Ms: Number(lag.p50.toFixed(1)),
      lagP99Ms: Number(lag.p99.toFixed(1)),
      lagMaxMs: Number(lag.max.toFixed(1)),
      goalRatioMet: relayRate / bareRate >= 0.6,
      goalLagP99Met: lag.p99 < 200,
    };
    console.log('| figure | value |\n| --- | --- |');
    console.log(`| contract events published (avg ${figures.bytesPerMessage} B) | ${figures.events} |`);
    console.log(`| relay: store -> Kafka, events/s | ${figures.relayEventsPerSec} |`);
    console.log(`| bare kafkajs producer, same messages, events/s | ${figures.bareProducerEventsPerSec} |`);
    console.log(`| relay / bare (goal >= 0.60) | ${figures.relayToBareRatio} |`);
    console.log(`| end-to-end lag at ${figures.lagOfferedEventsPerSec} events/s: p50 / p99 / max ms (goal p99 < 200) | ${figures.lagP50Ms} / ${figures.lagP99Ms} / ${figures.lagMaxMs} |`);
    console.log(JSON.stringify(figures));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => {
  console.error(`bench:relay failed: ${e.message}`);
  if (/ECONNREFUSED|connect|timed out/i.test(e.message)) {
    console.error(`is a broker running at ${BROKERS.join(',')}? Start one with: infra/kafka/kafka.sh start`);
  }
  process.exit(1);
});
