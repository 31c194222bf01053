import type { Pool } from 'pg';
import { ensurePostgresTables, inPostgresTransaction, postgresPool } from '@cbec/event-store';
import { revocationOf, TokenRevocations } from './token-revocations';

/** How long a server answers from its copy of the lists before reading them again (ms). */
export const REVOCATIONS_REFRESH_MS = 1000;

/**
 * The revocation list in PostgreSQL (DATABASE_URL), shared by the servers on the database and written by
 * `cli token revoke`. Checked on every request, it is read at most once per `refreshMs` (one query for
 * both lists, which stay small: a revoked subject is one row); a revocation made through this instance
 * holds at once, one made elsewhere within `refreshMs` on every server. Conservative SQL: the subject's
 * "issued up to" only ever grows (UPDATE ... GREATEST, else INSERT).
 */
export class PostgresTokenRevocations extends TokenRevocations {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;
  private jtis = new Set<string>();
  private subs = new Map<string, number>();
  private readAt = -Infinity;
  private reading: Promise<void> | null = null;

  constructor(
    connectionString: string,
    private readonly refreshMs = REVOCATIONS_REFRESH_MS,
  ) {
    super();
    this.pool = postgresPool(connectionString, 'token-revocations');
    this.ready = ensurePostgresTables(
      this.pool,
      'revoked-tokens',
      `CREATE TABLE IF NOT EXISTS revoked_tokens (jti TEXT COLLATE "C" PRIMARY KEY, revoked_at TEXT NOT NULL);
       CREATE TABLE IF NOT EXISTS revoked_subjects (sub TEXT COLLATE "C" PRIMARY KEY, issued_up_to BIGINT NOT NULL, revoked_at TEXT NOT NULL);`,
    );
    this.ready.catch(() => undefined);
  }

  async revokeToken(jti: string, at: Date): Promise<void> {
    await this.ready;
    await this.pool
      .query('INSERT INTO revoked_tokens (jti, revoked_at) SELECT $1, $2 WHERE NOT EXISTS (SELECT 1 FROM revoked_tokens WHERE jti = $1)', [
        jti,
        at.toISOString(),
      ])
      .catch((error: unknown) => {
        if ((error as { code?: unknown }).code !== '23505') throw error; // a concurrent revocation of the same jti
      });
    this.jtis.add(jti);
    this.readAt = -Infinity;
  }

  async revokeSubject(sub: string, at: Date): Promise<void> {
    await this.ready;
    const seconds = Math.floor(at.getTime() / 1000);
    await inPostgresTransaction(this.pool, async (client) => {
      const updated = await client.query('UPDATE revoked_subjects SET issued_up_to = GREATEST(issued_up_to, $2), revoked_at = $3 WHERE sub = $1', [
        sub,
        seconds,
        at.toISOString(),
      ]);
      if (updated.rowCount === 0)
        await client.query('INSERT INTO revoked_subjects (sub, issued_up_to, revoked_at) VALUES ($1, $2, $3)', [sub, seconds, at.toISOString()]);
    });
    this.readAt = -Infinity;
  }

  async revoked(claims: { jti?: unknown; sub?: unknown; iat?: unknown }): Promise<string | null> {
    if (Date.now() - this.readAt >= this.refreshMs) await this.refresh();
    return revocationOf(claims, this.jtis, this.subs);
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.reading?.catch(() => undefined);
    await this.pool.end();
  }

  /** One read for all the requests waiting on it. */
  private refresh(): Promise<void> {
    this.reading ??= (async () => {
      await this.ready;
      const started = Date.now();
      const { rows } = await this.pool.query<{ kind: string; id: string; up_to: string | null }>(
        "SELECT 'jti' AS kind, jti AS id, NULL AS up_to FROM revoked_tokens UNION ALL SELECT 'sub', sub, issued_up_to::text FROM revoked_subjects",
      );
      this.jtis = new Set(rows.filter((r) => r.kind === 'jti').map((r) => r.id));
      this.subs = new Map(rows.filter((r) => r.kind === 'sub').map((r) => [r.id, Number(r.up_to)]));
      this.readAt = started;
    })().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }
}
