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
