import Database from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Credential } from './password-hasher';

/** The file beside the event store that holds password hashes and login sessions (mode 0600). */
export const AUTH_DB_FILE = 'auth.db';

/**
 * Password hashes, by credential id. Kept out of the event log on purpose: the log is read by auditors,
 * exported in bundles, fed to SSE and Kafka, and can never forget; a hash here is seen by the login check
 * alone and a superseded one can be dropped (docs/architecture.md, "Accounts and credentials").
 */
export interface CredentialStore {
  saveCredential(credential: Credential, username: string, at: Date): Promise<void>;
  findCredential(credentialId: string): Promise<Credential | undefined>;
}

export interface Session {
  username: string;
  displayName: string;
  unit: string;
  role: string;
  uscc: string | null;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
}

/**
 * Login sessions, by the SHA-256 of their cookie value (the cookie itself is never stored). Behind this
 * interface so a shared database can take the place of the data folder's file.
 */
export interface SessionStore {
  createSession(idHash: string, session: Session): Promise<void>;
  findSession(idHash: string): Promise<Session | undefined>;
  touchSession(idHash: string, at: string): Promise<void>;
  deleteSession(idHash: string): Promise<void>;
  /** Ends every session of an account (disabled, grant changed, password reset). Returns how many. */
  deleteSessionsOf(username: string): Promise<number>;
}

/**
 * Credentials and sessions in one store. Two adapters pass one contract (auth-store.contract.ts): SQLite
 * in `<dataDir>/auth.db` (the embedded default) and PostgreSQL with DATABASE_URL, so that a login on one
 * server is a session on every server sharing the database, and a logout or an account change ends it on all.
 */
export abstract class AuthStore implements CredentialStore, SessionStore {
  abstract saveCredential(credential: Credential, username: string, at: Date): Promise<void>;
  abstract findCredential(credentialId: string): Promise<Credential | undefined>;
  /** Whether any password was ever stored: none means the system has no account yet. */
  abstract hasCredentials(): Promise<boolean>;
  abstract createSession(idHash: string, session: Session): Promise<void>;
  abstract findSession(idHash: string): Promise<Session | undefined>;
  abstract touchSession(idHash: string, at: string): Promise<void>;
  abstract deleteSession(idHash: string): Promise<void>;
  abstract deleteSessionsOf(username: string): Promise<number>;
  abstract close(): Promise<void>;
}

/** A session row as both adapters store it. */
export function sessionOf(row: Record<string, string | null>): Session {
  return {
    username: row.username!,
    displayName: row.display_name!,
    unit: row.unit!,
    role: row.role!,
    uscc: row.uscc,
    csrfToken: row.csrf_token!,
    createdAt: row.created_at!,
    lastSeenAt: row.last_seen_at!,
  };
}

/** `<dataDir>/auth.db` (mode 0600): the embedded default. */
export class SqliteAuthStore extends AuthStore {
  private readonly db: Database.Database;

  constructor(dataDir: string) {
    super();
    const file = join(dataDir, AUTH_DB_FILE);
    const fresh = !existsSync(file);
    this.db = new Database(file);
    if (fresh) chmodSync(file, 0o600);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS credentials (
        credential_id TEXT PRIMARY KEY, username TEXT NOT NULL, scheme TEXT NOT NULL, params TEXT NOT NULL,
        salt TEXT NOT NULL, hash TEXT NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS sessions (
        id_hash TEXT PRIMARY KEY, username TEXT NOT NULL, display_name TEXT NOT NULL, unit TEXT NOT NULL,
        role TEXT NOT NULL, uscc TEXT, csrf_token TEXT NOT NULL, created_at TEXT NOT NULL, last_seen_at TEXT NOT NULL) WITHOUT ROWID;
      CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (username);`);
  }

  async saveCredential(credential: Credential, username: string, at: Date): Promise<void> {
    this.db
      .prepare('INSERT INTO credentials (credential_id, username, scheme, params, salt, hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(credential.credentialId, username, credential.scheme, JSON.stringify(credential.params), credential.salt, credential.hash, at.toISOString());
  }

  async hasCredentials(): Promise<boolean> {
    return this.db.prepare('SELECT 1 FROM credentials LIMIT 1').get() !== undefined;
  }

  async findCredential(credentialId: string): Promise<Credential | undefined> {
    const row = this.db.prepare('SELECT scheme, params, salt, hash FROM credentials WHERE credential_id = ?').get(credentialId) as
      { scheme: 'scrypt'; params: string; salt: string; hash: string } | undefined;
    return row && { credentialId, scheme: row.scheme, params: JSON.parse(row.params) as Credential['params'], salt: row.salt, hash: row.hash };
  }

  async createSession(idHash: string, s: Session): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO sessions (id_hash, username, display_name, unit, role, uscc, csrf_token, created_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(idHash, s.username, s.displayName, s.unit, s.role, s.uscc, s.csrfToken, s.createdAt, s.lastSeenAt);
  }

  async findSession(idHash: string): Promise<Session | undefined> {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id_hash = ?').get(idHash) as Record<string, string | null> | undefined;
    return row ? sessionOf(row) : undefined;
  }

  async touchSession(idHash: string, at: string): Promise<void> {
    this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?').run(at, idHash);
  }

  async deleteSession(idHash: string): Promise<void> {
    this.db.prepare('DELETE FROM sessions WHERE id_hash = ?').run(idHash);
  }

  async deleteSessionsOf(username: string): Promise<number> {
    return this.db.prepare('DELETE FROM sessions WHERE username = ?').run(username).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
