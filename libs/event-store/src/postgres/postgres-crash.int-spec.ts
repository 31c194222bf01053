import { collect } from '../contract/event-store.contract';
import { expectIntactAfterCrash, killMidBurst } from '../contract/crash.contract';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../testing/postgres-test-database';
import { PostgresEventStore } from './postgres-event-store';

describeOnPostgres('a process on PostgreSQL killed mid-burst', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('crash');
  });
  afterEach(async () => {
    await database?.drop();
  });

  it('leaves no partial append, keeps every acknowledged event, gapless positions and a chain that verifies', async () => {
    // Given a child appending 3-event batches from 4 concurrent appenders, killed with SIGKILL
    const acks = await killMidBurst(database.url, 'FULL', 120);
    // When the store is reopened (the killed session's transaction is rolled back by the server)
    const store = await PostgresEventStore.open({ connectionString: database.url });
    try {
      // Then every acknowledged event is there, every append whole, the chain intact
      await expectIntactAfterCrash(store, acks);
      // and the positions run 1, 2, 3… without a hole
      const positions = (await collect(store.readChainLinks())).map((link) => link.globalPosition);
      expect(positions).toEqual(positions.map((_, i) => i + 1));
      expect((await store.verify()).ok).toBe(true);
    } finally {
      await store.close();
    }
  });
});
