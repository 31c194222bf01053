import type { Pool } from 'pg';
import { ensurePostgresTables, postgresPool } from '@cbec/event-store';
import { postgresAppendOnlyTriggers } from '../shared/append-only-db';
import { type AccessRefusal, type AccessRefusalQuery, refusalFilters, type SecurityEvent, SecurityLog } from './security-log';

const COLUMNS = ['at', 'status', 'code', 'method', 'path', 'user', 'unit', 'role', 'ip', 'detail'] as const;

/**
 * The security log in PostgreSQL (DATABASE_URL): tables `audit_security_events` and `audit_access_refusals`,
 * created on first use, shared by every server on the database; triggers refuse UPDATE, DELETE and
 * TRUNCATE, as the event log's do. `seq` orders by insertion (a sequence: rows of concurrent servers may
 * number out of commit order, which no reader of this log depends on).
 */
export class PostgresSecurityLog extends SecurityLog {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'security-log');
    this.ready = ensurePostgresTables(
      this.pool,
      'audit-security',
      `CREATE TABLE IF NOT EXISTS audit_security_events (
        seq BIGSERIAL PRIMARY KEY, at TEXT NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL, detail TEXT NOT NULL);
      ${postgresAppendOnlyTriggers('audit_security_events', 'security events are append-only')}
      CREATE TABLE IF NOT EXISTS audit_access_refusals (
        seq BIGSERIAL PRIMARY KEY, at TEXT COLLATE "C" NOT NULL, status INTEGER NOT NULL, code TEXT NOT NULL, method TEXT NOT NULL,
        path TEXT NOT NULL, "user" TEXT COLLATE "C", unit TEXT, role TEXT, ip TEXT COLLATE "C" NOT NULL, detail TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS audit_access_refusals_by_user ON audit_access_refusals ("user", at);
      ${postgresAppendOnlyTriggers('audit_access_refusals', 'the security log is append-only')}`,
    );
    this.ready.catch(() => undefined);
  }

  async recordRefusals(batch: readonly AccessRefusal[]): Promise<void> {
    if (batch.length === 0) return;
    await this.ready;
    // One statement for the batch: one commit.
    await this.pool.query(
      `INSERT INTO audit_access_refusals (at, status, code, method, path, "user", unit, role, ip, detail)
       SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`,
      COLUMNS.map((column) => batch.map((row) => row[column])),
    );
  }

  async refusals(query: AccessRefusalQuery = {}): Promise<AccessRefusal[]> {
    await this.ready;
    const values: unknown[] = [query.limit ?? 1000];
    const where = refusalFilters(query).map(([, column, operator, value]) => {
      values.push(value);
      return `${column === 'user' ? '"user"' : column} ${operator} $${values.length}`;
    });
    const { rows } = await this.pool.query<AccessRefusal>(
      'SELECT at, status, code, method, path, "user", unit, role, ip, detail FROM (SELECT * FROM audit_access_refusals' +
        (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
        ' ORDER BY seq DESC LIMIT $1) AS newest ORDER BY seq',
      values,
    );
    return rows;
  }

  async record(e: SecurityEvent): Promise<void> {
    await this.ready;
    await this.pool.query('INSERT INTO audit_security_events (at, kind, subject, detail) VALUES ($1, $2, $3, $4)', [e.at, e.kind, e.subject, e.detail]);
  }

  async all(): Promise<SecurityEvent[]> {
    await this.ready;
    return (await this.pool.query<SecurityEvent>('SELECT at, kind, subject, detail FROM audit_security_events ORDER BY seq')).rows;
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
