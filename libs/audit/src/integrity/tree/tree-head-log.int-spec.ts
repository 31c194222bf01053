import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../../../../event-store/src/testing/postgres-test-database';
import { sqliteRefusal, tempDataDir } from '../../testing/audit-fixture';
import { PostgresTreeHeadLog } from './postgres-tree-head-log';
import { treeHeadLogContract } from './tree-head-log.contract';
import { SqliteTreeHeadLog } from './tree-head-log';

describe('SqliteTreeHeadLog (audit-tree.db)', () => {
  let dir: string;
  beforeEach(() => {
    dir = tempDataDir();
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  treeHeadLogContract(
    'sqlite',
    () => new SqliteTreeHeadLog(join(dir, 'audit-tree.db')),
    async (log, statement) => {
      const db = (log as unknown as { db: import('better-sqlite3').Database }).db;
      return sqliteRefusal(() => db.exec(statement === 'update' ? "UPDATE tree_heads SET head = '{}'" : 'DELETE FROM tree_heads'));
    },
  );
});

describeOnPostgres('PostgresTreeHeadLog (DATABASE_URL)', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await createTestDatabase('audit-tree');
  });
  afterEach(async () => {
    await database?.drop();
  });
  treeHeadLogContract(
    'postgres',
    () => new PostgresTreeHeadLog(database.url),
    (log, statement) => {
      const pool = (log as unknown as { pool: Pool }).pool;
      return pool.query(statement === 'update' ? "UPDATE audit_tree_heads SET head = '{}'" : 'DELETE FROM audit_tree_heads');
    },
  );

  it('refuses TRUNCATE too', async () => {
    const log = new PostgresTreeHeadLog(database.url);
    try {
      await log.last();
      await expect((log as unknown as { pool: Pool }).pool.query('TRUNCATE audit_tree_heads')).rejects.toThrow('append-only');
    } finally {
      await log.close();
    }
  });
});
