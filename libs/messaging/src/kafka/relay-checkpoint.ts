import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Pool } from 'pg';
import { ensurePostgresTables, postgresPool } from '@cbec/event-store';

/**
 * The relay's place in the log: the global position up to which every published event was acknowledged
 * by the broker, one row per relay name, written once per acknowledged batch. Losing the last few moves
 * only republishes events (consumers deduplicate by eventId); it can never skip one. Two adapters, one
 * contract (relay-checkpoint.int-spec.ts): a SQLite file in the data folder, or PostgreSQL with
 * DATABASE_URL, where whichever server holds the relay's lease resumes from it.
 */
export interface RelayCheckpointStore {
  get(name: string): Promise<number>;
  put(name: string, position: number): Promise<void>;
  close(): Promise<void>;
}

/** `relay-checkpoint.db`: WAL with synchronous=NORMAL (an fsync per batch would buy nothing but latency). */
export class RelayCheckpoint implements RelayCheckpointStore {
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

  async get(name: string): Promise<number> {
    return this.getStmt.get(name)?.position ?? 0;
  }

  async put(name: string, position: number): Promise<void> {
    this.putStmt.run(name, position, new Date().toISOString());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** `relay_checkpoints` in PostgreSQL, created on first use; an update, or an insert the first time. */
export class PostgresRelayCheckpoint implements RelayCheckpointStore {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    this.pool = postgresPool(connectionString, 'relay-checkpoint');
    this.ready = ensurePostgresTables(
      this.pool,
      'relay-checkpoints',
      'CREATE TABLE IF NOT EXISTS relay_checkpoints (name TEXT COLLATE "C" PRIMARY KEY, position BIGINT NOT NULL, updated_at TEXT NOT NULL)',
    );
    this.ready.catch(() => undefined);
  }

  async get(name: string): Promise<number> {
    await this.ready;
    const { rows } = await this.pool.query<{ position: string }>('SELECT position FROM relay_checkpoints WHERE name = $1', [name]);
    return rows.length ? Number(rows[0].position) : 0;
  }

  async put(name: string, position: number): Promise<void> {
    await this.ready;
    const at = new Date().toISOString();
    const updated = await this.pool.query('UPDATE relay_checkpoints SET position = $2, updated_at = $3 WHERE name = $1', [name, position, at]);
    if (updated.rowCount === 0) {
      await this.pool.query('INSERT INTO relay_checkpoints (name, position, updated_at) VALUES ($1, $2, $3)', [name, position, at]);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
