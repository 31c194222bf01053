import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { PostgresProcessStateStore } from './postgres-process-state.store';
import { processStateStoreContract } from './process-state.contract';
import { SqliteProcessStateStore } from './process-state.store';

describe('SqliteProcessStateStore', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cbec-process-state-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  processStateStoreContract('sqlite', () => new SqliteProcessStateStore(join(dir, 'process.db')));
});

describeOnPostgres('PostgresProcessStateStore', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('process-state');
  });
  afterAll(async () => {
    await database?.drop();
  });
  processStateStoreContract('postgres', () => new PostgresProcessStateStore(database.url));
});
