import Database from 'better-sqlite3';
import type { Database as Db, Statement } from 'better-sqlite3';
import { join } from 'node:path';

export const REVOCATIONS_FILE = 'revoked-tokens.db';

/**
 * The revocation list (docs/operations.md "Tokens"), `<dataDir>/revoked-tokens.db`: single tokens by
 * their `jti`, and every token of a user issued up to a moment (`token revoke --sub`). The CLI writes it
 * while the server runs; the server re-reads it whenever another connection changed it (SQLite's
 * `data_version`), so a revocation holds from the next request on.
 */
export class TokenRevocations {
  private readonly db: Db;
  private readonly version: Statement;
  private seenVersion = -1;
  private jtis = new Set<string>();
  private subs = new Map<string, number>();

  constructor(dataDir: string) {
    this.db = new Database(join(dataDir, REVOCATIONS_FILE));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS revoked_tokens (jti TEXT PRIMARY KEY, revoked_at TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS revoked_subjects (sub TEXT PRIMARY KEY, issued_up_to INTEGER NOT NULL, revoked_at TEXT NOT NULL) WITHOUT ROWID;
    `);
    this.version = this.db.prepare('PRAGMA data_version').pluck();
  }

  revokeToken(jti: string, at: Date): void {
    this.db.prepare('INSERT OR IGNORE INTO revoked_tokens (jti, revoked_at) VALUES (?, ?)').run(jti, at.toISOString());
    this.seenVersion = -1;
  }

  /** Every token of `sub` issued at or before `at` (tokens minted afterwards are good). */
  revokeSubject(sub: string, at: Date): void {
    const seconds = Math.floor(at.getTime() / 1000);
    this.db
      .prepare(
        'INSERT INTO revoked_subjects (sub, issued_up_to, revoked_at) VALUES (?, ?, ?) ON CONFLICT (sub) DO UPDATE SET issued_up_to = max(issued_up_to, excluded.issued_up_to), revoked_at = excluded.revoked_at',
      )
      .run(sub, seconds, at.toISOString());
    this.seenVersion = -1;
  }

  /** Why the token is revoked, or null. */
  revoked(claims: { jti?: unknown; sub?: unknown; iat?: unknown }): string | null {
    this.refresh();
    if (typeof claims.jti === 'string' && this.jtis.has(claims.jti)) return `the token ${claims.jti} is revoked`;
    if (typeof claims.sub === 'string') {
      const upTo = this.subs.get(claims.sub);
      if (upTo !== undefined && (typeof claims.iat !== 'number' || claims.iat <= upTo)) {
        return `every token of "${claims.sub}" issued up to ${new Date(upTo * 1000).toISOString()} is revoked: mint a new one`;
      }
    }
    return null;
  }

  close(): void {
    this.db.close();
  }

  private refresh(): void {
    const version = this.version.get() as number;
    if (version === this.seenVersion) return;
    this.seenVersion = version;
    this.jtis = new Set((this.db.prepare('SELECT jti FROM revoked_tokens').pluck().all() as string[]) ?? []);
    this.subs = new Map((this.db.prepare('SELECT sub, issued_up_to FROM revoked_subjects').raw().all() as Array<[string, number]>) ?? []);
  }
}
