import type { Database as Db } from 'better-sqlite3';
import { appendOnlyTriggers, openAuditDb } from '../shared/append-only-db';
import type { SignedDigest } from './digest';

/**
 * The append-only chain of signed digests. Two adapters pass one contract (digest-log.contract.ts): SQLite
 * in `audit-digests.db`, the embedded default, and PostgreSQL with DATABASE_URL (one chain for all the
 * servers on the database). Neither lets a row be changed or removed: a mistake cannot remove a digest; a
 * deliberate removal (dropping the triggers) breaks the digests' own chain and `verify` reports it.
 */
export abstract class DigestLog {
  /** Every digest, oldest first. */
  abstract all(): Promise<SignedDigest[]>;
  abstract last(): Promise<SignedDigest | null>;
  /**
   * Appends `make(last)` in one transaction that no other writer's append interleaves with (another
   * process, another server on the database), so that two writers never chain two digests onto the same
   * predecessor. `make` returns null to write nothing; it runs inside the transaction, so it is synchronous.
   */
  abstract appendAfter(make: (last: SignedDigest | null) => SignedDigest | null): Promise<SignedDigest | null>;
  abstract close(): Promise<void>;
}

/** `<dataDir>/audit-digests.db`, never in the event log: the embedded default. */
export class SqliteDigestLog extends DigestLog {
  private readonly db: Db;

  constructor(file: string) {
    super();
    this.db = openAuditDb(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS digests (
        seq INTEGER PRIMARY KEY,
        global_position INTEGER NOT NULL,
        body TEXT NOT NULL,
        signature TEXT NOT NULL,
        digest_hash TEXT NOT NULL
      );
      ${appendOnlyTriggers('digests', 'digests are append-only')}
    `);
  }

  async all(): Promise<SignedDigest[]> {
    return (this.db.prepare('SELECT body, signature, digest_hash FROM digests ORDER BY seq').all() as DigestRow[]).map(digestFromRow);
  }

  async last(): Promise<SignedDigest | null> {
    return this.lastNow();
  }

  /** An immediate transaction: a second process on the same file waits for it (busy_timeout). */
  async appendAfter(make: (last: SignedDigest | null) => SignedDigest | null): Promise<SignedDigest | null> {
    const tx = this.db.transaction(() => {
      const next = make(this.lastNow());
      if (!next) return null;
      this.db
        .prepare('INSERT INTO digests (seq, global_position, body, signature, digest_hash) VALUES (?, ?, ?, ?, ?)')
        .run(next.body.seq, next.body.globalPosition, JSON.stringify(next.body), next.signature, next.digestHash);
      return next;
    });
    return tx.immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private lastNow(): SignedDigest | null {
    const row = this.db.prepare('SELECT body, signature, digest_hash FROM digests ORDER BY seq DESC LIMIT 1').get() as DigestRow | undefined;
    return row ? digestFromRow(row) : null;
  }
}

/** A stored digest's columns, as both adapters read them. */
export interface DigestRow {
  body: string;
  signature: string;
  digest_hash: string;
}

export function digestFromRow(row: DigestRow): SignedDigest {
  return { body: JSON.parse(row.body) as SignedDigest['body'], signature: row.signature, digestHash: row.digest_hash };
}
