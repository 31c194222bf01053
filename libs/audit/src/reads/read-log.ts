import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';

/** Cybersecurity Law art. 21: network logs are kept for no less than six months. 183 days covers any six. */
export const READ_RETENTION_DAYS = 183;
const DAY_MS = 86_400_000;

export interface ReadRecord {
  at: string;
  user: string;
  unit: string;
  role: string;
  method: string;
  path: string;
  /** The case read, when the path names one (`/applications/{id}...`, `/audit/applications/{id}/...`). */
  applicationId: string | null;
  /** The stream read through `/audit/streams/{id}/...`, when any. */
  streamId: string | null;
  status: number;
}

export interface ReadQuery {
  applicationId?: string;
  user?: string;
  from?: string;
  to?: string;
  limit?: number;
}

/** A purge that would delete records younger than the retention period. */
export class RetentionViolation extends Error {
  readonly code = 'retention-violation';
  constructor(
    readonly before: string,
    readonly earliestAllowed: string,
  ) {
    super(
      `refusing to purge read records up to ${before}: records younger than ${READ_RETENTION_DAYS} days ` +
        `(after ${earliestAllowed}) must be kept (Cybersecurity Law art. 21)`,
    );
    this.name = 'RetentionViolation';
  }
}

/**
 * Who read which case and when: append-only. Rows are never updated; a DELETE of a row younger than 183
 * days is refused by a trigger (so not even a hand-written SQL statement removes them by mistake) and by
 * `purgeBefore`. Two adapters pass one contract (read-log.contract.ts): SQLite in `audit-reads.db`, the
 * embedded default, and PostgreSQL with DATABASE_URL (one log for all the servers on the database).
 */
export abstract class ReadLog {
  abstract record(r: ReadRecord): Promise<void>;
  /** Records, oldest first, filtered; at most `limit` (default 1000, at most 100,000). */
  abstract query(q?: ReadQuery): Promise<ReadRecord[]>;
  /**
   * Deletes records strictly older than `before`, and only if `before` is at least 183 days before `now`;
   * otherwise nothing is deleted and a RetentionViolation says why.
   */
  async purgeBefore(before: Date, now: Date): Promise<{ deleted: number }> {
    const earliest = new Date(now.getTime() - READ_RETENTION_DAYS * DAY_MS);
    if (Number.isNaN(before.getTime())) throw new RangeError('purge date is not a valid date');
    if (before.getTime() > earliest.getTime()) throw new RetentionViolation(before.toISOString(), earliest.toISOString());
    return { deleted: await this.deleteBefore(before.toISOString()) };
  }
  protected abstract deleteBefore(before: string): Promise<number>;
  abstract close(): Promise<void>;
}

/** `limit` as both adapters apply it. */
export function readLimit(q: ReadQuery): number {
  return Math.min(Math.max(q.limit ?? 1000, 1), 100_000);
}

/** `<dataDir>/audit-reads.db`: the embedded default. */
export class SqliteReadLog extends ReadLog {
  private readonly db: Db;
  private readonly insert: Statement;

  constructor(file: string) {
    super();
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS reads (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        user TEXT NOT NULL,
        unit TEXT NOT NULL,
        role TEXT NOT NULL,
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        application_id TEXT,
        stream_id TEXT,
        status INTEGER NOT NULL
      );
      CREATE INDEX IF NOT EXISTS reads_by_application ON reads (application_id, at);
      CREATE INDEX IF NOT EXISTS reads_by_at ON reads (at);
      CREATE TRIGGER IF NOT EXISTS reads_append_only_update BEFORE UPDATE ON reads
        BEGIN SELECT RAISE(ABORT, 'read records are append-only'); END;
      CREATE TRIGGER IF NOT EXISTS reads_retention BEFORE DELETE ON reads
        WHEN julianday(old.at) > julianday('now') - ${READ_RETENTION_DAYS}
        BEGIN SELECT RAISE(ABORT, 'read records are kept at least ${READ_RETENTION_DAYS} days (Cybersecurity Law art. 21)'); END;
    `);
    this.insert = this.db.prepare(
      `INSERT INTO reads (at, user, unit, role, method, path, application_id, stream_id, status)
       VALUES (@at, @user, @unit, @role, @method, @path, @applicationId, @streamId, @status)`,
    );
  }

  async record(r: ReadRecord): Promise<void> {
    this.insert.run(r);
  }

  async query(q: ReadQuery = {}): Promise<ReadRecord[]> {
    const where: string[] = [];
    const params: Record<string, unknown> = {};
    if (q.applicationId) {
      where.push('application_id = @applicationId');
      params.applicationId = q.applicationId;
    }
    if (q.user) {
      where.push('user = @user');
      params.user = q.user;
    }
    if (q.from) {
      where.push('at >= @from');
      params.from = q.from;
    }
    if (q.to) {
      where.push('at <= @to');
      params.to = q.to;
    }
    const limit = readLimit(q);
    const sql =
      `SELECT at, user, unit, role, method, path, application_id AS applicationId, stream_id AS streamId, status FROM reads` +
      (where.length ? ` WHERE ${where.join(' AND ')}` : '') +
      ` ORDER BY id LIMIT ${limit}`;
    return this.db.prepare(sql).all(params) as ReadRecord[];
  }

  protected async deleteBefore(before: string): Promise<number> {
    return this.db.prepare('DELETE FROM reads WHERE at < ?').run(before).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
