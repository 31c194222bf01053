import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { join } from 'node:path';

export const REVOCATIONS_FILE = 'revoked-tokens.db';

/**
 * The revocation list (docs/operations.md "Tokens"): single tokens by their `jti`, and every token of a
 * user issued up to a moment (`token revoke --sub`). The CLI writes it while the servers run. Two adapters
 * pass one contract (token-revocations.contract.ts): SQLite in the data folder, PostgreSQL with DATABASE_URL
 * (shared by every server on the database).
 */
export abstract class TokenRevocations {
  abstract revokeToken(jti: string, at: Date): Promise<void>;
  /** Every token of `sub` issued at or before `at` (tokens minted afterwards are good). */
  abstract revokeSubject(sub: string, at: Date): Promise<void>;
  /** Why the token is revoked, or null. */
  abstract revoked(claims: { jti?: unknown; sub?: unknown; iat?: unknown }): Promise<string | null>;
  abstract close(): Promise<void>;
}

/** Why a token is revoked by these lists, or null (both adapters answer alike). */
export function revocationOf(
  claims: { jti?: unknown; sub?: unknown; iat?: unknown },
  jtis: ReadonlySet<string>,
  subs: ReadonlyMap<string, number>,
): string | null {
  if (typeof claims.jti === 'string' && jtis.has(claims.jti)) return `the token ${claims.jti} is revoked`;
  if (typeof claims.sub === 'string') {
    const upTo = subs.get(claims.sub);
    if (upTo !== undefined && (typeof claims.iat !== 'number' || claims.iat <= upTo)) {
      return `every token of "${claims.sub}" issued up to ${new Date(upTo * 1000).toISOString()} is revoked: mint a new one`;
    }
  }
  return null;
}

/**
 * `<dataDir>/revoked-tokens.db`, the embedded default. The server re-reads it whenever another connection
 * changed it (SQLite's `data_version`), so a revocation holds from the next request on.
 */
export class SqliteTokenRevocations extends TokenRevocations {
  private readonly db: Db;
  private readonly version: Statement;
  private seenVersion = -1;
  private jtis = new Set<string>();
  private subs = new Map<string, number>();

  constructor(dataDir: string) {
    super();
    this.db = new Database(join(dataDir, REVOCATIONS_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS revoked_tokens (jti TEXT PRIMARY KEY, revoked_at TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS revoked_subjects (sub TEXT PRIMARY KEY, issued_up_to INTEGER NOT NULL, revoked_at TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.version = this.db.prepare('PRAGMA data_version').pluck();
  }

  async revokeToken(jti: string, at: Date): Promise<void> {
    this.db.prepare('INSERT OR IGNORE INTO revoked_tokens (jti, revoked_at) VALUES (?, ?)').run(jti, at.toISOString());
    this.seenVersion = -1;
  }

  async revokeSubject(sub: string, at: Date): Promise<void> {
    const seconds = Math.floor(at.getTime() / 1000);
    this.db
      .prepare(
        'INSERT INTO revoked_subjects (sub, issued_up_to, revoked_at) VALUES (?, ?, ?) ON CONFLICT (sub) DO UPDATE SET issued_up_to = max(issued_up_to, excluded.issued_up_to), revoked_at = excluded.revoked_at',
      )
      .run(sub, seconds, at.toISOString());
    this.seenVersion = -1;
  }

  async revoked(claims: { jti?: unknown; sub?: unknown; iat?: unknown }): Promise<string | null> {
    this.refresh();
    return revocationOf(claims, this.jtis, this.subs);
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private refresh(): void {
    const version = this.version.get() as number;
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.jtis = new Set((this.db.prepare('SELECT jti FROM revoked_tokens').pluck().all() as string[]) ?? []);
    this.subs = new Map((this.db.prepare('SELECT sub, issued_up_to FROM revoked_subjects').raw().all() as Array<[string, number]>) ?? []);
  }
}
