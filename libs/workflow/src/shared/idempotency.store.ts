import Database from 'better-sqlite3';
import { join } from 'node:path';

export interface RememberedAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * The first answer to each (user, Idempotency-Key), in `<dataDir>/idempotency.db`: a repeat is answered
 * from here and reaches no handler. The command id derives from the key as well, so a crash between the
 * append and `remember` still stores nothing twice (the store sees the same event ids again).
 */
export class IdempotencyStore {
  private readonly db: Database.Database;
  private readonly get: Database.Statement<[string, string], { fingerprint: string; status: number; body: string }>;
  private readonly put: Database.Statement<[string, string, string, number, string, string]>;

  constructor(dataDir: string) {
    this.db = new Database(join(dataDir, 'idempotency.db'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS answers (
      user TEXT NOT NULL, key TEXT NOT NULL, fingerprint TEXT NOT NULL, status INTEGER NOT NULL,
      body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (user, key)) WITHOUT ROWID`);
    this.get = this.db.prepare('SELECT fingerprint, status, body FROM answers WHERE user = ? AND key = ?');
    // First answer wins: a concurrent duplicate that also completed does not overwrite it.
    this.put = this.db.prepare('INSERT OR IGNORE INTO answers (user, key, fingerprint, status, body, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  }

  find(user: string, key: string): RememberedAnswer | null {
    const row = this.get.get(user, key);
    return row ? { fingerprint: row.fingerprint, status: row.status, body: JSON.parse(row.body) as unknown } : null;
  }

  remember(user: string, key: string, answer: RememberedAnswer, at: Date): void {
    this.put.run(user, key, answer.fingerprint, answer.status, JSON.stringify(answer.body ?? null), at.toISOString());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
