import { eventStoreContract } from '../contract/event-store.contract';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../testing/postgres-test-database';
import { postgresContractHarness } from './postgres-contract-harness';

describeOnPostgres('PostgresEventStore', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('contract');
  });
  afterAll(async () => {
    await database?.drop();
  });

  eventStoreContract(postgresContractHarness(() => database.url));
  eventStoreContract(postgresContractHarness(() => database.url, { groupCommit: 'off' }));
});
