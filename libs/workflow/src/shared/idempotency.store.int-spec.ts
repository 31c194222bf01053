import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { idempotencyStoreContract } from './idempotency.contract';
import { SqliteIdempotencyStore } from './idempotency.store';
import { PostgresIdempotencyStore } from './postgres-idempotency.store';

describe('SqliteIdempotencyStore', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbec-idempotency-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  idempotencyStoreContract('sqlite', () => new SqliteIdempotencyStore(dir));
});

describeOnPostgres('PostgresIdempotencyStore', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('idempotency');
  });
  afterAll(async () => {
    await database?.drop();
  });
  idempotencyStoreContract('postgres', () => new PostgresIdempotencyStore(database.url));
});
