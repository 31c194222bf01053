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

/** Drops every database this spec file created. */
export async function dropEngineDatabases(): Promise<void> {
  const all = [...databases.values()];
  databases.clear();
  for (const database of all) await (await database).drop();
}
