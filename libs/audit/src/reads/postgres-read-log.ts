import type { Pool } from 'pg';
import { ensurePostgresTables, postgresPool } from '@cbec/event-store';
import { READ_RETENTION_DAYS, ReadLog, readLimit, type ReadQuery, type ReadRecord } from './read-log';

/**
 * The read log in PostgreSQL (DATABASE_URL): table `audit_reads`, created on first use, shared by every
 * server on the database. As on SQLite, a trigger refuses UPDATE and TRUNCATE, and the DELETE of a row
 * younger than 183 days. `id` orders the records by insertion (a sequence: records of concurrent servers
 * may number out of commit order, which no reader of this log depends on).
 */
export class PostgresReadLog extends ReadLog {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'read-log');
    this.ready = ensurePostgresTables(
      this.pool,
      'audit-reads',
      `CREATE TABLE IF NOT EXISTS audit_reads (
        id BIGSERIAL PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        "user" TEXT COLLATE "C" NOT NULL,
        unit TEXT NOT NULL,
        role TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        application_id TEXT COLLATE "C",
        stream_id TEXT COLLATE "C",
        status INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS audit_reads_by_application ON audit_reads (application_id, at);
      CREATE INDEX IF NOT EXISTS audit_reads_by_at ON audit_reads (at);
      CREATE OR REPLACE FUNCTION audit_reads_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'DELETE' AND OLD.at::timestamptz <= now() - interval '${READ_RETENTION_DAYS} days' THEN RETURN OLD; END IF;
          IF TG_OP = 'DELETE' THEN RAISE EXCEPTION 'read records are kept at least ${READ_RETENTION_DAYS} days (Cybersecurity Law art. 21)'; END IF;
          RAISE EXCEPTION 'read records are append-only: % refused', TG_OP;
        END $$;
      DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'audit_reads_guard_row' AND tgrelid = 'audit_reads'::regclass) THEN
          CREATE TRIGGER audit_reads_guard_row BEFORE UPDATE OR DELETE ON audit_reads FOR EACH ROW EXECUTE PROCEDURE audit_reads_guard();
          CREATE TRIGGER audit_reads_guard_truncate BEFORE TRUNCATE ON audit_reads FOR EACH STATEMENT EXECUTE PROCEDURE audit_reads_guard();
        END IF;
      END $$;`,
    );
    this.ready.catch(() => undefined);
  }

  async record(r: ReadRecord): Promise<void> {
    await this.ready;
    await this.pool.query(
      'INSERT INTO audit_reads (at, "user", unit, role, method, path, application_id, stream_id, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [r.at, r.user, r.unit, r.role, r.method, r.path, r.applicationId, r.streamId, r.status],
    );
  }

  async query(q: ReadQuery = {}): Promise<ReadRecord[]> {
    await this.ready;
    const where: string[] = [];
    const values: unknown[] = [];
    const filter = (condition: string, value: unknown): void => {
      values.push(value);
      where.push(`${condition} $${values.length}`);
    };
    if (q.applicationId) filter('application_id =', q.applicationId);
    if (q.user) filter('"user" =', q.user);
    if (q.from) filter('at >=', q.from);
    if (q.to) filter('at <=', q.to);
    const { rows } = await this.pool.query<ReadRecord>(
      'SELECT at, "user", unit, role, method, path, application_id AS "applicationId", stream_id AS "streamId", status FROM audit_reads' +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ` ORDER BY id LIMIT ${readLimit(q)}`,
      values,
    );
    return rows;
  }

  protected async deleteBefore(before: string): Promise<number> {
    await this.ready;
    return (await this.pool.query('DELETE FROM audit_reads WHERE at < $1', [before])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
