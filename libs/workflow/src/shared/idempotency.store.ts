import Database from 'better-sqlite3';
import { join } from 'node:path';

export interface RememberedAnswer {
  fingerprint: string;
  status: number;
  body: unknown;
}

/**
 * The first answer to each (principal, Idempotency-Key): a repeat is answered from here and reaches no
 * handler. The command id derives from the key as well, so a crash between the append and `remember` still
 * stores nothing twice (the store sees the same event ids again). Two adapters pass one contract
 * (idempotency.contract.ts): SQLite in the data folder, PostgreSQL with DATABASE_URL, so that servers sharing
 * one database answer a repeat alike whichever got the first request.
 */
export abstract class IdempotencyStore {
  abstract find(principal: string, key: string): Promise<RememberedAnswer | null>;
  /** Keeps the first answer: a later one for the same (principal, key) is ignored. */
  abstract remember(principal: string, key: string, answer: RememberedAnswer, at: Date): Promise<void>;
  abstract close(): Promise<void>;
}

/** `<dataDir>/idempotency.db`: the embedded default. */
export class SqliteIdempotencyStore extends IdempotencyStore {
  private readonly db: Database.Database;
  private readonly get: Database.Statement<[string, string], { fingerprint: string; status: number; body: string }>;
  private readonly put: Database.Statement<[string, string, string, number, string, string]>;

  constructor(dataDir: string) {
    super();
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

  async find(principal: string, key: string): Promise<RememberedAnswer | null> {
    const row = this.get.get(principal, key);
    return row ? { fingerprint: row.fingerprint, status: row.status, body: JSON.parse(row.body) as unknown } : null;
  }

  async remember(principal: string, key: string, answer: RememberedAnswer, at: Date): Promise<void> {
    this.put.run(principal, key, answer.fingerprint, answer.status, JSON.stringify(answer.body ?? null), at.toISOString());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
