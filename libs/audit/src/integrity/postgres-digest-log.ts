import type { Pool } from 'pg';
import { ensurePostgresTables, inPostgresTransaction, postgresPool } from '@cbec/event-store';
import { postgresAppendOnlyTriggers } from '../shared/append-only-db';
import type { SignedDigest } from './digest';
import { DigestLog, digestFromRow, type DigestRow } from './digest-log';

/**
 * The digests in PostgreSQL (DATABASE_URL): table `audit_digests`, created on first use, one chain for every
 * server on the database (the holder of the `digest-writer` lease writes it). Triggers refuse UPDATE,
 * DELETE and TRUNCATE, as the event log's do. An append locks the table against other appends for its
 * transaction, so that two writers (a server and `audit digest` run beside it) chain one after the other;
 * `seq` is the digest's own number, the primary key: a second digest after the same predecessor is refused.
 */
export class PostgresDigestLog extends DigestLog {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'audit-digests');
    this.ready = ensurePostgresTables(
      this.pool,
      'audit-digests',
      `CREATE TABLE IF NOT EXISTS audit_digests (
        seq BIGINT PRIMARY KEY, global_position BIGINT NOT NULL, body TEXT NOT NULL, signature TEXT NOT NULL, digest_hash TEXT NOT NULL);
      ${postgresAppendOnlyTriggers('audit_digests', 'digests are append-only')}`,
    );
    this.ready.catch(() => undefined);
  }

  async all(): Promise<SignedDigest[]> {
    await this.ready;
    return (await this.pool.query<DigestRow>('SELECT body, signature, digest_hash FROM audit_digests ORDER BY seq')).rows.map(digestFromRow);
  }

  async last(): Promise<SignedDigest | null> {
    await this.ready;
    const { rows } = await this.pool.query<DigestRow>('SELECT body, signature, digest_hash FROM audit_digests ORDER BY seq DESC LIMIT 1');
    return rows[0] ? digestFromRow(rows[0]) : null;
  }

  async appendAfter(make: (last: SignedDigest | null) => SignedDigest | null): Promise<SignedDigest | null> {
    await this.ready;
    return inPostgresTransaction(this.pool, async (client) => {
      // EXCLUSIVE: readers go on; another append waits here until this one commits, then sees its digest.
      await client.query('LOCK TABLE audit_digests IN EXCLUSIVE MODE');
      const { rows } = await client.query<DigestRow>('SELECT body, signature, digest_hash FROM audit_digests ORDER BY seq DESC LIMIT 1');
      const next = make(rows[0] ? digestFromRow(rows[0]) : null);
      if (next) {
        await client.query('INSERT INTO audit_digests (seq, global_position, body, signature, digest_hash) VALUES ($1, $2, $3, $4, $5)', [
          next.body.seq,
          next.body.globalPosition,
          JSON.stringify(next.body),
          next.signature,
          next.digestHash,
        ]);
      }
      return next;
    });
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
