import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../../libs/event-store/src/testing/postgres-test-database';

/**
 * The e2e flows run on SQLite (project `e2e`) and again on PostgreSQL (project `e2e-pg`, which sets
 * CBEC_E2E_ENGINE=postgres): there each data folder gets a fresh database of its own for its event log
 * (the same folder started again reuses it), dropped after the spec file.
 */
export function e2eOnPostgres(): boolean {
  return process.env.CBEC_E2E_ENGINE === 'postgres';
}

const databases = new Map<string, Promise<TestDatabase>>();

/** What the app's environment gains for a data folder: DATABASE_URL on PostgreSQL, nothing on SQLite. */
export async function engineEnv(dataDir: string): Promise<NodeJS.ProcessEnv> {
  if (!e2eOnPostgres()) return {};
  let database = databases.get(dataDir);
  if (!database) {
    database = createTestDatabase('e2e');
    databases.set(dataDir, database);
  }
  return { DATABASE_URL: (await database).url };
}

/**
 * Drops every database this spec file created, after checking that the flows ran with their read models
 * in PostgreSQL: the `read_models` schema holds the checkpoints, and no data folder has a read-model file.
 */
export async function dropEngineDatabases(): Promise<void> {
  const all = [...databases.entries()];
  databases.clear();
  const misplaced: string[] = [];
  for (const [dataDir, pending] of all) {
    const database = await pending;
    try {
      if (existsSync(join(dataDir, 'read-models.db'))) misplaced.push(`${dataDir} has a read-models.db`);
      const client = new Client({ connectionString: database.url });
      await client.connect();
      try {
        const { rows } = await client.query(`SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = 'read_models' AND tablename = 'projection_checkpoints'`);
        if (!rows.length) misplaced.push(`${database.name} has no read_models.projection_checkpoints`);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  }
  if (misplaced.length) throw new Error(`the read models were not in PostgreSQL: ${misplaced.join('; ')}`);
}
