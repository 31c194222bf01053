import { createHash } from 'node:crypto';
import type { ClientBase, Pool } from 'pg';
import { inPostgresTransaction } from './postgres-pool';

export interface PostgresMigration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The log's schema on PostgreSQL, versioned in code like the SQLite one (append only: never edit a shipped
 * migration, add the next). A conservative SQL subset: no extension, no jsonb, no sequences, so the
 * PostgreSQL family (openGauss, KingbaseES, PolarDB…) runs it as it is.
 *
 * - `global_position` is assigned by the store under a transaction-level advisory lock (never a sequence:
 *   sequence values are taken before commit, so a late commit would land behind a subscriber's cursor).
 * - `data` and `metadata` are the canonical JSON text the hash covers, so verification re-hashes the
 *   stored bytes.
 * - Text compared by byte (`COLLATE "C"`): stream prefixes and ISO instants order as they do on SQLite,
 *   whatever the database's locale.
 */
export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'events table with per-stream hash chain',
    sql: `
      CREATE TABLE events (
        global_position BIGINT  NOT NULL PRIMARY KEY,
        stream_id       TEXT    COLLATE "C" NOT NULL,
        version         INTEGER NOT NULL CHECK (version >= 0),
        event_id        TEXT    COLLATE "C" NOT NULL,
        type            TEXT    COLLATE "C" NOT NULL,
        schema_version  INTEGER NOT NULL,
        data            TEXT    NOT NULL,
        metadata        TEXT    NOT NULL,
        recorded_at     TEXT    COLLATE "C" NOT NULL,
        prev_hash       TEXT    COLLATE "C" NOT NULL,
        hash            TEXT    COLLATE "C" NOT NULL,
        CONSTRAINT events_stream_version UNIQUE (stream_id, version),
        CONSTRAINT events_event_id UNIQUE (event_id)
      );
      CREATE INDEX events_type_position ON events (type, global_position);`,
  },
  {
    // Defence in depth (docs/auditing.md), as on SQLite: no statement of the application updates, deletes or
    // truncates an event, so none may; an insider who drops the triggers is caught by the hash chains.
    version: 2,
    name: 'events are append-only: triggers refuse UPDATE, DELETE and TRUNCATE',
    sql: `
      CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'events are append-only: % refused', TG_OP; END $$;
      CREATE TRIGGER events_append_only_row BEFORE UPDATE OR DELETE ON events
        FOR EACH ROW EXECUTE PROCEDURE events_append_only();
      CREATE TRIGGER events_append_only_truncate BEFORE TRUNCATE ON events
        FOR EACH STATEMENT EXECUTE PROCEDURE events_append_only();`,
  },
];

/** Advisory lock keys of the event store (any 64-bit constants no other part of the system uses). */
export const POSITION_LOCK_KEY = '7306414400117400001';
const MIGRATION_LOCK_KEY = '7306414400117400002';

/**
 * Brings the database to the latest schema. Safe when several servers start at once: the migration runs
 * in one transaction under an advisory lock, so the second waits and then finds nothing to do.
 */
export async function migratePostgres(client: ClientBase, migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS): Promise<number> {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS event_store_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const found = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM event_store_migrations');
    const current = found.rows[0]?.version ?? 0;
    if (current > latest) {
      throw new Error(`the event log's schema is at version ${current}, newer than this code knows (${latest}): upgrade the application`);
    }
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO event_store_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        new Date().toISOString(),
      ]);
    }
    await client.query('COMMIT');
    return latest;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/**
 * Drops the append-only triggers, as an insider with the database would before editing it: for the
 * tests that show what verification catches then. Never called by the application.
 */
export async function dropPostgresAppendOnlyGuards(client: ClientBase): Promise<void> {
  await client.query('DROP TRIGGER IF EXISTS events_append_only_row ON events');
  await client.query('DROP TRIGGER IF EXISTS events_append_only_truncate ON events');
}

/**
 * Runs a store's `CREATE … IF NOT EXISTS` statements under a transaction-level advisory lock named after the
 * store: PostgreSQL's IF NOT EXISTS is not safe against a second connection creating the same table at the same
 * moment (several servers starting together), the lock makes them take turns.
 */
export async function ensurePostgresTables(pool: Pool, store: string, sql: string): Promise<void> {
  await inPostgresTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [createHash('sha256').update(`cbec-schema:${store}`).digest().readBigInt64BE(0).toString()]);
    await client.query(sql);
  });
}
