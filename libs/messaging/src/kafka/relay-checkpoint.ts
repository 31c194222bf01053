import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The relay's place in the log: the global position up to which every published event was
 * acknowledged by the broker. A small SQLite file of its own, one row per relay name, written once per
 * acknowledged batch. WAL with synchronous=NORMAL: a power loss may take back the last few checkpoint
 * moves, which only republishes events (consumers deduplicate by eventId); it can never skip one, so
 * an fsync per batch would buy nothing but latency.
 */
export class RelayCheckpoint {
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement<[string], { position: number }>;
  private readonly putStmt: Database.Statement<[string, number, string]>;

  constructor(file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec('CREATE TABLE IF NOT EXISTS relay_checkpoints (name TEXT PRIMARY KEY, position INTEGER NOT NULL, updated_at TEXT NOT NULL)');
    this.getStmt = this.db.prepare('SELECT position FROM relay_checkpoints WHERE name = ?');
    this.putStmt = this.db.prepare(
      'INSERT INTO relay_checkpoints (name, position, updated_at) VALUES (?, ?, ?) ' +
        'ON CONFLICT(name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at',
    );
  }

  get(name: string): number {
    return this.getStmt.get(name)?.position ?? 0;
  }

  put(name: string, position: number): void {
    this.putStmt.run(name, position, new Date().toISOString());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
