import type { Database } from 'better-sqlite3';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * The schema, versioned in code. Append only: never edit a shipped migration, add the next one.
 * `global_position` is the rowid (no AUTOINCREMENT: the log is append-only, and within the single-writer
 * lock rowids are handed out in commit order, which is what subscribers rely on).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'events table with per-stream hash chain',
    sql: `
      CREATE TABLE events (
        global_position INTEGER PRIMARY KEY,
        stream_id       TEXT    NOT NULL,
        version         INTEGER NOT NULL CHECK (version >= 0),
        event_id        TEXT    NOT NULL,
        type            TEXT    NOT NULL,
        schema_version  INTEGER NOT NULL,
        data            TEXT    NOT NULL,
        metadata        TEXT    NOT NULL,
        recorded_at     TEXT    NOT NULL,
        prev_hash       TEXT    NOT NULL,
        hash            TEXT    NOT NULL,
        UNIQUE (stream_id, version),
        UNIQUE (event_id)
      );`,
  },
  {
    // Defence in depth (docs/auditing.md): no statement of the application updates or deletes an event, so
    // none may; an insider who drops the triggers first is caught by the hash chains and the Merkle tree.
    version: 2,
    name: 'events are append-only: triggers refuse UPDATE and DELETE',
    sql: `
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only: UPDATE refused'); END;
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only: DELETE refused'); END;`,
  },
];

/**
 * Drops the append-only triggers, as an insider with the file would before editing it: for the tests
 * that show what verification catches then. Never called by the application.
 */
export function dropAppendOnlyGuards(db: Database): void {
  for (const name of db.prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'`).pluck().all() as string[]) {
    db.exec(`DROP TRIGGER "${name}"`);
  }
}

/** Brings the file to the latest schema; safe when two processes open it at once (BEGIN IMMEDIATE). */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  db.exec('BEGIN IMMEDIATE');
  try {
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > latest) {
      throw new Error(`events.db is at schema version ${current}, newer than this code knows (${latest}): upgrade the application`);
    }
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      record.run(migration.version, migration.name, new Date().toISOString());
      db.pragma(`user_version = ${migration.version}`);
    }
    db.exec('COMMIT');
    return latest;
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw error;
  }
}
