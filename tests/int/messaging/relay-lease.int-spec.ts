import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '@cbec/event-store';
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from '../../../libs/event-store/src/testing/postgres-test-database';
import { IntegrationEventMapper } from '../../../libs/messaging/src/mapping/integration-event-mapper';
import { KafkaRelayLifecycle } from '../../../libs/messaging/src/kafka/kafka-relay.module';
import { appendAll, scenario } from '../../../libs/messaging/src/testing/case-lifecycle.fixture';
import { KAFKA_BROKERS, KAFKA_SKIP_LINE, readTopic, uniqueName, waitFor } from '../../../libs/messaging/src/testing/kafka-test-kit';

/**
 * Servers sharing one PostgreSQL database take turns relaying to Kafka: the relay runs in the holder of the
 * lease, from the checkpoint in the database; when the holder goes, another server resumes from there.
 */
jest.setTimeout(120_000);

const reason = KAFKA_BROKERS.length === 0 ? KAFKA_SKIP_LINE : postgresUnavailableReason();
const title = 'the Kafka relay among servers sharing one PostgreSQL database';

if (reason !== null && process.env.CI === 'true') {
  describe(title, () => {
    it('has a Kafka broker and a PostgreSQL server under CI=true', () => {
      throw new Error(`CI=true but: ${reason}`);
    });
  });
} else if (reason !== null) {
  console.log(`SKIPPED: ${title}: ${reason}`);
  describe.skip(title, () => {
    it('hands the relay over', () => undefined);
  });
} else {
  describe(title, () => {
    let database: TestDatabase;
    const dirs: string[] = [];
    beforeAll(async () => {
      database = await createTestDatabase('relay_lease');
    });
    afterAll(async () => {
      await database?.drop();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('runs in one server at a time; when it stops, another resumes from the shared checkpoint; every event is published', async () => {
      const topic = uniqueName('lease');
      const env = { KAFKA_BROKERS: KAFKA_BROKERS.join(','), DATABASE_URL: database.url, KAFKA_TOPIC: topic, KAFKA_TOPIC_PARTITIONS: '3' };
      // Given two servers on one database, both configured to relay
      const servers = await Promise.all(
        [1, 2].map(async () => {
          const dir = mkdtempSync(join(tmpdir(), 'cbec-relay-lease-'));
          dirs.push(dir);
          const store = await PostgresEventStore.open({ connectionString: database.url, pollIntervalMs: 20 });
          const relay = new KafkaRelayLifecycle(store, env, dir);
          await relay.onApplicationBootstrap();
          return { store, relay };
        }),
      );
      const [writer] = servers;
      await appendAll(writer.store, scenario('lease', 6));
      // Then one of them relays, up to the head
      await waitFor('a relaying server', () => servers.some((s) => s.relay.relay !== undefined), 10_000);
      const first = servers.find((s) => s.relay.relay !== undefined)!;
      const other = servers.find((s) => s !== first)!;
      expect(other.relay.relay).toBeUndefined();
      await first.relay.relay!.waitForCheckpoint(await writer.store.headPosition());
      // When it shuts down, and more events come
      await first.relay.beforeApplicationShutdown();
      await appendAll(other.store, scenario('lease', 12, 6));
      // Then the other takes over and relays the rest
      await waitFor('the other server to relay', () => other.relay.relay !== undefined, 10_000);
      await other.relay.relay!.waitForCheckpoint(await other.store.headPosition());
      const mapper = new IntegrationEventMapper(other.store);
      const expected = new Set<string>();
      for await (const e of other.store.readAll()) {
        const mapped = await mapper.map(e);
        if (mapped) expected.add(mapped.eventId);
      }
      const records = await readTopic(KAFKA_BROKERS, topic, expected.size);
      expect(new Set(records.map((r) => (JSON.parse(r.value) as { eventId: string }).eventId))).toEqual(expected);
      await other.relay.beforeApplicationShutdown();
      await Promise.all(servers.map((s) => s.store.close()));
    });
  });
}
