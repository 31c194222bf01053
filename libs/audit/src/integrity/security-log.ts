import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';

/** One security event: what was found, about what, when. */
export interface SecurityEvent {
  at: string;
  kind: string;
  subject: string;
  detail: string;
}

/**
 * The append-only security log (`audit-security.db`): what the server found wrong with its own data, such
 * as a stream whose hash chain failed when loaded. Triggers refuse UPDATE and DELETE.
 */
export class SecurityLog {
  private readonly db: Db;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS security_events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE TRIGGER IF NOT EXISTS security_events_append_only_update BEFORE UPDATE ON security_events
        BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;
      CREATE TRIGGER IF NOT EXISTS security_events_append_only_delete BEFORE DELETE ON security_events
        BEGIN SELECT RAISE(ABORT, 'security events are append-only'); END;
    `);
  }

  record(e: SecurityEvent): void {
    this.db.prepare('INSERT INTO security_events (at, kind, subject, detail) VALUES (?, ?, ?, ?)').run(e.at, e.kind, e.subject, e.detail);
  }

  all(): SecurityEvent[] {
    return this.db.prepare('SELECT at, kind, subject, detail FROM security_events ORDER BY seq').all() as SecurityEvent[];
  }

  close(): void {
    this.db.close();
  }
}
