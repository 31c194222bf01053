import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { sqliteRefusal, tempDataDir } from '../testing/audit-fixture';
import { PostgresReadLog } from './postgres-read-log';
import { readLogContract } from './read-log.contract';
import { SqliteReadLog } from './read-log';

describe('SqliteReadLog (audit-reads.db)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  readLogContract(
    'sqlite',
    () => new SqliteReadLog(join(dir, 'audit-reads.db')),
    async (log, statement) => {
      const db = (log as unknown as { db: import('better-sqlite3').Database }).db;
      return sqliteRefusal(() => db.exec(statement === 'update' ? "UPDATE reads SET user = 'someone-else'" : 'DELETE FROM reads'));
    },
  );
});

describeOnPostgres('PostgresReadLog (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('audit-reads');
  });
  afterEach(async () => {
    await database?.drop();
  });
  readLogContract(
    'postgres',
    () => new PostgresReadLog(database.url),
    (log, statement) => {
      const pool = (log as unknown as { pool: Pool }).pool;
      return pool.query(statement === 'update' ? `UPDATE audit_reads SET "user" = 'someone-else'` : 'DELETE FROM audit_reads');
    },
  );
});
