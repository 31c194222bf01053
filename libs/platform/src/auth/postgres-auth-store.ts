import type { Pool } from 'pg';
import { ensurePostgresTables, postgresPool } from '@cbec/event-store';
import { AuthStore, type Session, sessionOf } from './auth-store';
import type { Credential } from './password-hasher';

/**
 * Credentials and login sessions in PostgreSQL (DATABASE_URL): the tables of auth.db, created on first use.
 * Servers sharing the database share them: a session created by a login on one server is found by every
 * other, and a logout or an account change that ends it ends it everywhere. Password hashes stay out of
 * the event log here as in the file (docs/architecture.md, "Accounts and credentials"): grant the
 * database's readers accordingly.
 */
export class PostgresAuthStore extends AuthStore {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'auth');
    this.ready = ensurePostgresTables(
      this.pool,
      'auth',
      `CREATE TABLE IF NOT EXISTS auth_credentials (
        credential_id TEXT COLLATE "C" PRIMARY KEY, username TEXT NOT NULL, scheme TEXT NOT NULL, params TEXT NOT NULL,
        salt TEXT NOT NULL, hash TEXT NOT NULL, created_at TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS auth_sessions (
        id_hash TEXT COLLATE "C" PRIMARY KEY, username TEXT COLLATE "C" NOT NULL, display_name TEXT NOT NULL, unit TEXT NOT NULL,
        role TEXT NOT NULL, uscc TEXT, csrf_token TEXT NOT NULL, created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS auth_sessions_by_user ON auth_sessions (username);`,
    );
    this.ready.catch(() => undefined);
  }

  async saveCredential(credential: Credential, username: string, at: Date): Promise<void> {
    await this.query('INSERT INTO auth_credentials (credential_id, username, scheme, params, salt, hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
      credential.credentialId,
      username,
      credential.scheme,
      JSON.stringify(credential.params),
      credential.salt,
      credential.hash,
      at.toISOString(),
    ]);
  }

  async hasCredentials(): Promise<boolean> {
    return (await this.query('SELECT 1 FROM auth_credentials LIMIT 1')).rowCount !== 0;
  }

  async findCredential(credentialId: string): Promise<Credential | undefined> {
    const { rows } = await this.query('SELECT scheme, params, salt, hash FROM auth_credentials WHERE credential_id = $1', [credentialId]);
    const row = rows[0] as { scheme: 'scrypt'; params: string; salt: string; hash: string } | undefined;
    return row && { credentialId, scheme: row.scheme, params: JSON.parse(row.params) as Credential['params'], salt: row.salt, hash: row.hash };
  }

  async createSession(idHash: string, s: Session): Promise<void> {
    await this.query(
      'INSERT INTO auth_sessions (id_hash, username, display_name, unit, role, uscc, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
      [idHash, s.username, s.displayName, s.unit, s.role, s.uscc, s.csrfToken, s.createdAt, s.lastSeenAt],
    );
  }

  async findSession(idHash: string): Promise<Session | undefined> {
    const { rows } = await this.query('SELECT * FROM auth_sessions WHERE id_hash = $1', [idHash]);
    return rows.length ? sessionOf(rows[0] as Record<string, string | null>) : undefined;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    await this.query('UPDATE auth_sessions SET last_seen_at = $1 WHERE id_hash = $2', [at, idHash]);
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.query('DELETE FROM auth_sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteSessionsOf(username: string): Promise<number> {
    return (await this.query('DELETE FROM auth_sessions WHERE username = $1', [username])).rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }

  private async query(sql: string, values: unknown[] = []) {
    await this.ready;
    return this.pool.query(sql, values);
  }
}
