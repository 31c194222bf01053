import type { Database as Db } from 'better-sqlite3';
import { appendOnlyTriggers, openAuditDb } from '../shared/append-only-db';

/** One security event: what was found, about what, when. */
export interface SecurityEvent {
  at: string;
  kind: string;
  subject: string;
  detail: string;
}

/**
 * One refused request (docs/auditing.md "Security log"): every 401, 403 and 429, and every command
 * refused for any other reason, with who (when the caller was known), what, when and from where.
 */
export interface AccessRefusal {
  at: string;
  status: number;
  /** The problem's code (`unauthorized`, `forbidden`, `four-eyes`, `rate-limited`...). */
  code: string;
  method: string;
  path: string;
  /** The caller, when its token or session was valid; null for a 401. */
  user: string | null;
  unit: string | null;
  role: string | null;
  /** The address the request came from (Fastify's request.ip). */
  ip: string;
  detail: string;
}

export interface AccessRefusalQuery {
  user?: string;
  ip?: string;
  status?: number;
  from?: string;
  to?: string;
  limit?: number;
}

/**
 * The append-only security log: what the server found wrong with its own data, such as a stream whose
 * hash chain failed when loaded, and every request it refused (access_refusals). Kept with the read log
 * and never purged, so at least the six months of the Cybersecurity Law art. 21. Triggers refuse UPDATE
 * and DELETE. Two adapters pass one contract (security-log.contract.ts): SQLite in `audit-security.db`,
 * the embedded default, and PostgreSQL with DATABASE_URL (one log for all the servers on the database).
 */
export abstract class SecurityLog {
  /** Appends refusals in one transaction (the server batches them: one commit for many). */
  abstract recordRefusals(batch: readonly AccessRefusal[]): Promise<void>;
  /** Refusals, oldest first, filtered; `limit` (default 1000) counts from the newest. */
  abstract refusals(query?: AccessRefusalQuery): Promise<AccessRefusal[]>;
  abstract record(e: SecurityEvent): Promise<void>;
  abstract all(): Promise<SecurityEvent[]>;
  abstract close(): Promise<void>;
}

/** The filters of a refusals query, as both adapters apply them: [name, column, operator, value]. */
export function refusalFilters(query: AccessRefusalQuery): Array<[string, string, string, unknown]> {
  return (
    [
      ['user', 'user', '=', query.user],
      ['ip', 'ip', '=', query.ip],
      ['status', 'status', '=', query.status],
      ['from', 'at', '>=', query.from === undefined ? undefined : new Date(query.from).toISOString()],
      ['to', 'at', '<', query.to === undefined ? undefined : new Date(query.to).toISOString()],
    ] as Array<[string, string, string, unknown]>
  ).filter(([, , , value]) => value !== undefined);
}

/** `<dataDir>/audit-security.db`: the embedded default. */
export class SqliteSecurityLog extends SecurityLog {
  private readonly db: Db;

  constructor(file: string) {
    super();
    this.db = openAuditDb(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS security_events (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        kind TEXT NOT NULL,
        subject TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      ${appendOnlyTriggers('security_events', 'security events are append-only')}
      CREATE TABLE IF NOT EXISTS access_refusals (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        status INTEGER NOT NULL,
        code TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        user TEXT,
        unit TEXT,
        role TEXT,
        ip TEXT NOT NULL,
        detail TEXT NOT NULL
      );
      CREATE INDEX IF NOT EXISTS access_refusals_by_user ON access_refusals (user, at);
      ${appendOnlyTriggers('access_refusals', 'the security log is append-only')}
    `);
  }

  async recordRefusals(batch: readonly AccessRefusal[]): Promise<void> {
    if (batch.length === 0) return;
    const insert = this.db.prepare(
      'INSERT INTO access_refusals (at, status, code, method, path, user, unit, role, ip, detail) VALUES (@at, @status, @code, @method, @path, @user, @unit, @role, @ip, @detail)',
    );
    this.db.transaction((rows: readonly AccessRefusal[]) => {
      for (const row of rows) insert.run(row);
    })(batch);
  }

  async refusals(query: AccessRefusalQuery = {}): Promise<AccessRefusal[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = { limit: query.limit ?? 1000 };
    for (const [name, column, operator, value] of refusalFilters(query)) {
      where.push(`${column} ${operator} @${name}`);
      params[name] = value;
    }
    const sql =
      'SELECT at, status, code, method, path, user, unit, role, ip, detail FROM (SELECT * FROM access_refusals' +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ' ORDER BY seq DESC LIMIT @limit) ORDER BY seq';
    return this.db.prepare(sql).all(params) as AccessRefusal[];
  }

  async record(e: SecurityEvent): Promise<void> {
    this.db.prepare('INSERT INTO security_events (at, kind, subject, detail) VALUES (?, ?, ?, ?)').run(e.at, e.kind, e.subject, e.detail);
  }

  async all(): Promise<SecurityEvent[]> {
    return this.db.prepare('SELECT at, kind, subject, detail FROM security_events ORDER BY seq').all() as SecurityEvent[];
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
