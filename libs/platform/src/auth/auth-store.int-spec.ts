import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { authStoreContract, tokenRevocationsContract } from './auth-store.contract';
import { SqliteAuthStore } from './auth-store';
import { PostgresAuthStore } from './postgres-auth-store';
import { PostgresTokenRevocations } from './postgres-token-revocations';
import { SqliteTokenRevocations } from './token-revocations';

describe('the SQLite adapters (the data folder)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbec-auth-store-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  authStoreContract('sqlite', () => new SqliteAuthStore(dir));
  tokenRevocationsContract('sqlite', () => new SqliteTokenRevocations(dir));
});

describeOnPostgres('the PostgreSQL adapters (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('auth');
  });
  afterAll(async () => {
    await database?.drop();
  });
  authStoreContract('postgres', () => new PostgresAuthStore(database.url));
  // Another server's copy of the lists is at most refreshMs old: 50 ms here, waited out before reading.
  tokenRevocationsContract(
    'postgres',
    () => new PostgresTokenRevocations(database.url, 50),
    () => new Promise((resolve) => setTimeout(resolve, 60)),
  );
});
