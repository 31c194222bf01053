import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { sqliteRefusal, tempDataDir } from '../testing/audit-fixture';
import { PostgresSecurityLog } from './postgres-security-log';
import { securityLogContract } from './security-log.contract';
import { SqliteSecurityLog } from './security-log';

describe('SqliteSecurityLog (audit-security.db)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  securityLogContract(
    'sqlite',
    () => new SqliteSecurityLog(join(dir, 'audit-security.db')),
    async (log, statement) => {
      const db = (log as unknown as { db: import('better-sqlite3').Database }).db;
      return sqliteRefusal(() => db.exec(statement === 'update' ? "UPDATE access_refusals SET ip = '0.0.0.0'" : 'DELETE FROM access_refusals'));
    },
  );
});

describeOnPostgres('PostgresSecurityLog (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('audit-security');
  });
  afterEach(async () => {
    await database?.drop();
  });
  securityLogContract(
    'postgres',
    () => new PostgresSecurityLog(database.url),
    (log, statement) => {
      const pool = (log as unknown as { pool: Pool }).pool;
      return pool.query(statement === 'update' ? "UPDATE audit_access_refusals SET ip = '0.0.0.0'" : 'DELETE FROM audit_access_refusals');
    },
  );
});
