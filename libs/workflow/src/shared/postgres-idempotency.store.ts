import type { Pool } from 'pg';
import { ensurePostgresTables, postgresPool } from '@cbec/event-store';
import { IdempotencyStore, type RememberedAnswer } from './idempotency.store';

/** PostgreSQL's "duplicate key" SQLSTATE. */
const UNIQUE_VIOLATION = '23505';

/**
 * The idempotency answers in PostgreSQL (DATABASE_URL): one table, `idempotency_answers`, created on first
 * use. First answer wins without `ON CONFLICT` (conservative SQL): an insert that meets a row already there
 * fails on the primary key and is ignored.
 */
export class PostgresIdempotencyStore extends IdempotencyStore {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'idempotency');
    this.ready = ensurePostgresTables(
      this.pool,
      'idempotency-answers',
      `CREATE TABLE IF NOT EXISTS idempotency_answers (
      principal TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL, fingerprint TEXT NOT NULL,
      status INTEGER NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY (principal, key))`,
    );
    this.ready.catch(() => undefined);
  }

  async find(principal: string, key: string): Promise<RememberedAnswer | null> {
    await this.ready;
    const { rows } = await this.pool.query<{ fingerprint: string; status: number; body: string }>(
      'SELECT fingerprint, status, body FROM idempotency_answers WHERE principal = $1 AND key = $2',
      [principal, key],
    );
    return rows.length ? { fingerprint: rows[0].fingerprint, status: rows[0].status, body: JSON.parse(rows[0].body) as unknown } : null;
  }

  async remember(principal: string, key: string, answer: RememberedAnswer, at: Date): Promise<void> {
    await this.ready;
    try {
      await this.pool.query(
        `INSERT INTO idempotency_answers (principal, key, fingerprint, status, body, created_at)
         SELECT $1, $2, $3, $4, $5, $6 WHERE NOT EXISTS (SELECT 1 FROM idempotency_answers WHERE principal = $1 AND key = $2)`,
        [principal, key, answer.fingerprint, answer.status, JSON.stringify(answer.body ?? null), at.toISOString()],
      );
    } catch (error) {
      if ((error as { code?: unknown }).code !== UNIQUE_VIOLATION) throw error;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
