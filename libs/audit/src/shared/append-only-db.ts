import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

/**
 * Opens one of the audit's own SQLite files (digests, tree heads, the security log): WAL, every commit
 * synced, a writer in another process waited for.
 */
export function openAuditDb(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * The triggers that make `table` append-only: an UPDATE or DELETE aborts with `message`. A mistake cannot
 * remove a row; a deliberate removal (dropping the triggers) is what the audit's own checks catch.
 */
export function appendOnlyTriggers(table: string, message: string): string {
  return ['UPDATE', 'DELETE']
    .map(
      (op) => `CREATE TRIGGER IF NOT EXISTS ${table}_append_only_${op.toLowerCase()} BEFORE ${op} ON ${table}
        BEGIN SELECT RAISE(ABORT, '${message}'); END;`,
    )
    .join('\n');
}

/**
 * The PostgreSQL form of `appendOnlyTriggers` (as the event log's own guard): a PL/pgSQL trigger refusing
 * UPDATE and DELETE of a row, and TRUNCATE of the table, with `message`. Idempotent: the trigger is
 * created only when the table has none of that name (conservative SQL: no CREATE OR REPLACE TRIGGER).
 */
export function postgresAppendOnlyTriggers(table: string, message: string, operations = 'UPDATE OR DELETE'): string {
  const fn = `${table}_append_only`;
  return `
    CREATE OR REPLACE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '${message}: % refused', TG_OP; END $$;
    DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '${fn}_row' AND tgrelid = '${table}'::regclass) THEN
        CREATE TRIGGER ${fn}_row BEFORE ${operations} ON ${table} FOR EACH ROW EXECUTE PROCEDURE ${fn}();
        CREATE TRIGGER ${fn}_truncate BEFORE TRUNCATE ON ${table} FOR EACH STATEMENT EXECUTE PROCEDURE ${fn}();
      END IF;
    END $$;`;
}
