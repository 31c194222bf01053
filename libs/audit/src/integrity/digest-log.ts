import type { Database as Db } from 'better-sqlite3';
import { appendOnlyTriggers, openAuditDb } from '../shared/append-only-db';
import type { SignedDigest } from './digest';

/**
 * The append-only digests table, in its own SQLite file (`audit-digests.db`), never in the event log.
 * Triggers refuse UPDATE and DELETE: a mistake cannot remove a digest; a deliberate removal (dropping the
 * triggers) breaks the digests' own chain and `verify` reports it.
 */
export class DigestLog {
  private readonly db: Db;

  constructor(file: string) {
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

  all(): SignedDigest[] {
    return (this.db.prepare('SELECT body, signature, digest_hash FROM digests ORDER BY seq').all() as Row[]).map(fromRow);
  }

  last(): SignedDigest | null {
    const row = this.db.prepare('SELECT body, signature, digest_hash FROM digests ORDER BY seq DESC LIMIT 1').get() as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /**
   * Appends `make(last)` in one immediate transaction, so that two writers (two server processes) never
   * chain two digests onto the same predecessor. `make` returns null to write nothing.
   */
  appendAfter(make: (last: SignedDigest | null) => SignedDigest | null): SignedDigest | null {
    const tx = this.db.transaction(() => {
      const last = this.last();
      const next = make(last);
      if (!next) return null;
      this.db
        .prepare('INSERT INTO digests (seq, global_position, body, signature, digest_hash) VALUES (?, ?, ?, ?, ?)')
        .run(next.body.seq, next.body.globalPosition, JSON.stringify(next.body), next.signature, next.digestHash);
      return next;
    });
    return tx.immediate();
  }

  close(): void {
    this.db.close();
  }
}

interface Row {
  body: string;
  signature: string;
  digest_hash: string;
}

function fromRow(row: Row): SignedDigest {
  return { body: JSON.parse(row.body) as SignedDigest['body'], signature: row.signature, digestHash: row.digest_hash };
}
