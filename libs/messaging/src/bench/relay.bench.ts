import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
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
const THROUGHPUT_CASES = Number(process.env.BENCH_CASES ?? 2000);
const LAG_RATE = Number(process.env.BENCH_LAG_RATE ?? 1000);
const LAG_SECONDS = Number(process.env.BENCH_LAG_SECONDS ?? 10);
const BATCH = 500;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const run = `${Date.now().toString(36)}-${process.pid}`;
const quiet = { info: () => undefined, warn: (m: string) => console.error(`relay: ${m}`), error: (m: string) => console.error(`relay: ${m}`) };

const ms = (v: number): number => Number(v.toFixed(1));

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

async function relayThroughput(dir: string, store: SqliteEventStore, expected: number, round: number): Promise<{ seconds: number; published: number }> {
  const topic = `bench-relay-${run}-${round}`;
  const relay = new Relay(
    store,
    relayConfigFromEnv(
      { KAFKA_BROKERS: BROKERS.join(',') },
      // The topic exists (created below, as in production): the timed part is connecting and publishing.
      { topic, dataDir: join(dir, `relay-a${round}`), partitions: 6, batchSize: BATCH, maxBuffered: 10_000, createTopic: false },
    ),
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

async function bareThroughput(messages: IntegrationKafkaMessage[], round: number): Promise<{ seconds: number }> {
  const topic = `bench-bare-${run}-${round}`;
  const kafka = new Kafka({ ...kafkaClientOptions({ brokers: BROKERS, clientId: 'bench-bare', ssl: false }), logLevel: logLevel.NOTHING });
  await createTopic(kafka, topic);
  // Timed from connect, as the relay is: both pay for the connection and InitProducerId.
  const started = process.hrtime.bigint();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  for (let i = 0; i < messages.length; i += BATCH) {
    await producer.send({ topic, acks: -1, messages: messages.slice(i, i + BATCH) });
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await producer.disconnect();
  return { seconds };
}

async function endToEndLag(dir: string): Promise<{ fromCall: number[]; fromCommit: number[]; offeredRate: number; expected: number }> {
  const topic = `bench-lag-${run}`;
  // The embedded default's durability (synchronous=FULL): an acknowledged append is on disk.
  const store = openSqliteEventStore({ directory: join(dir, 'lag-store'), synchronous: 'FULL' });
  await createTopic(new Kafka({ brokers: BROKERS, logLevel: logLevel.NOTHING }), topic);
  const relay = new Relay(store, relayConfigFromEnv({ KAFKA_BROKERS: BROKERS.join(',') }, { topic, dataDir: join(dir, 'relay-b'), batchSize: BATCH }), quiet);
  await relay.start();

  const received = new Map<string, number>();
  const child = fork(join(__dirname, 'lag-consumer.js'), [BROKERS.join(','), topic, `bench-lag-${run}`], { stdio: 'inherit' });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`lag consumer exited with ${code}`)));
    child.on('message', (m: { ready?: boolean; receipts?: Array<[string, number]> }) => {
      if (m.ready) resolve();
      for (const [id, t] of m.receipts ?? []) if (!received.has(id)) received.set(id, t);
    });
  });
  await ready;

  const now = () => performance.timeOrigin + performance.now();
  const appends = scenario(`lag-${run}`, Math.ceil((LAG_RATE * LAG_SECONDS) / 15) + 2).slice(0, LAG_RATE * LAG_SECONDS);
  const unpublished = new Set(['AwardReserved', 'ReservationConfirmed', 'ApplicationObjected', 'ApplicationReadyForDecision']);
  const calledAt = new Map<string, number>();
  const committedAt = new Map<string, number>();
  const tick = 10;
  const t0 = performance.now();
  let i = 0;
  while (i < appends.length) {
    const due = Math.min(appends.length, Math.floor(((performance.now() - t0) / 1000) * LAG_RATE) + 1);
    const slice = appends.slice(i, due);
    i = due;
    await Promise.all(
      slice.map(async (a) => {
        calledAt.set(a.event.eventId, now());
        await store.append(a.streamId, [a.event], { expectedVersion: 'any' });
        committedAt.set(a.event.eventId, now());
      }),
    );
    await new Promise((r) => setTimeout(r, tick));
  }
  const offeredRate = appends.length / ((performance.now() - t0) / 1000);
  const expected = appends.filter((a) => !unpublished.has(a.event.type)).length;
  const deadline = Date.now() + 30_000;
  while (received.size < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  child.send({ stop: true });
  await new Promise((r) => child.once('exit', r));
  await relay.stop();
  await store.close();
  const fromCall: number[] = [];
  const fromCommit: number[] = [];
  for (const [id, t] of received) {
    if (calledAt.has(id)) fromCall.push(t - calledAt.get(id)!);
    if (committedAt.has(id)) fromCommit.push(t - committedAt.get(id)!);
  }
  return { fromCall: fromCall.sort((a, b) => a - b), fromCommit: fromCommit.sort((a, b) => a - b), offeredRate, expected };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cbec-bench-relay-'));
  try {
    const store = openSqliteEventStore({ directory: join(dir, 'store'), synchronous: 'NORMAL' });
    await fill(store, scenario(`bench-${run}`, THROUGHPUT_CASES));
    const messages = await contractMessages(store);
    // Alternating rounds, median of each: the machine is shared, so one round alone says little.
    const relayRates: number[] = [];
    const bareRates: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const relay = await relayThroughput(dir, store, messages.length, round);
      relayRates.push(relay.published / relay.seconds);
      const bare = await bareThroughput(messages, round);
      bareRates.push(messages.length / bare.seconds);
    }
    await store.close();
    const lag = await endToEndLag(dir);

    const relayRate = median(relayRates);
    const bareRate = median(bareRates);
    // Each relay round is paired with the bare round right after it (same load on a shared machine).
    const pairedRatio = median(relayRates.map((r, i) => r / bareRates[i]));
    const figures = {
      brokers: BROKERS.join(','),
      events: messages.length,
      bytesPerMessage: Math.round(messages.reduce((n, m) => n + m.value.length, 0) / messages.length),
      relayEventsPerSec: Math.round(relayRate),
      bareProducerEventsPerSec: Math.round(bareRate),
      relayToBareRatio: Number(pairedRatio.toFixed(3)),
      relayToBareRatioOfMedians: Number((relayRate / bareRate).toFixed(3)),
      rounds: ROUNDS,
      relayRoundsEventsPerSec: relayRates.map(Math.round),
      bareRoundsEventsPerSec: bareRates.map(Math.round),
      lagOfferedEventsPerSec: Math.round(lag.offeredRate),
      lagExpected: lag.expected,
      lagReceived: lag.fromCall.length,
      lagP50Ms: ms(percentile(lag.fromCall, 50)),
      lagP99Ms: ms(percentile(lag.fromCall, 99)),
      lagMaxMs: ms(lag.fromCall[lag.fromCall.length - 1]),
      lagAfterCommitP50Ms: ms(percentile(lag.fromCommit, 50)),
      lagAfterCommitP99Ms: ms(percentile(lag.fromCommit, 99)),
      goalRatioMet: pairedRatio >= 0.6,
      goalLagP99Met: percentile(lag.fromCall, 99) < 200,
      loadAverage1m: Number(loadavg()[0].toFixed(2)),
    };
    console.log('| figure | value |\n| --- | --- |');
    console.log(`| contract events published (avg ${figures.bytesPerMessage} B) | ${figures.events} |`);
    console.log(`| relay: store -> Kafka, events/s (median of ${ROUNDS}: ${figures.relayRoundsEventsPerSec.join(', ')}) | ${figures.relayEventsPerSec} |`);
    console.log(
      `| bare kafkajs producer, same messages, events/s (median of ${ROUNDS}: ${figures.bareRoundsEventsPerSec.join(', ')}) | ${figures.bareProducerEventsPerSec} |`,
    );
    console.log(`| relay / bare, median of the paired rounds (goal >= 0.60) | ${figures.relayToBareRatio} |`);
    console.log(`| relay / bare, ratio of the medians | ${figures.relayToBareRatioOfMedians} |`);
    console.log(
      `| end-to-end lag at ${figures.lagOfferedEventsPerSec} events/s, append call -> consumer receipt: p50 / p99 / max ms (goal p99 < 200) | ${figures.lagP50Ms} / ${figures.lagP99Ms} / ${figures.lagMaxMs} |`,
    );
    console.log(`| same, from the store's commit (after fsync): p50 / p99 ms | ${figures.lagAfterCommitP50Ms} / ${figures.lagAfterCommitP99Ms} |`);
    console.log(`| received / expected in the lag run | ${figures.lagReceived} / ${figures.lagExpected} |`);
    console.log(`| load average (1 min) at the end, 2 cores shared | ${figures.loadAverage1m} |`);
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
