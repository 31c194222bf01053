import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../event-store/src/testing/postgres-test-database';
import { sqliteRefusal, tempDataDir } from '../testing/audit-fixture';
import { digestLogContract } from './digest-log.contract';
import { SqliteDigestLog } from './digest-log';
import { PostgresDigestLog } from './postgres-digest-log';

describe('SqliteDigestLog (audit-digests.db)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  digestLogContract(
    'sqlite',
    () => new SqliteDigestLog(join(dir, 'audit-digests.db')),
    async (log, statement) => {
      const db = (log as unknown as { db: import('better-sqlite3').Database }).db;
      return sqliteRefusal(() => db.exec(statement === 'update' ? "UPDATE digests SET signature = 'x'" : 'DELETE FROM digests'));
    },
  );
});

describeOnPostgres('PostgresDigestLog (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('audit-digests');
  });
  afterEach(async () => {
    await database?.drop();
  });
  digestLogContract(
    'postgres',
    () => new PostgresDigestLog(database.url),
    (log, statement) => {
      const pool = (log as unknown as { pool: Pool }).pool;
      return pool.query(statement === 'update' ? "UPDATE audit_digests SET signature = 'x'" : 'DELETE FROM audit_digests');
    },
  );

  it('refuses TRUNCATE too', async () => {
    const log = new PostgresDigestLog(database.url);
    try {
      await log.last();
      await expect((log as unknown as { pool: Pool }).pool.query('TRUNCATE audit_digests')).rejects.toThrow('append-only');
    } finally {
      await log.close();
    }
  });
});
