import type { Database as Db } from 'better-sqlite3';
import { appendOnlyTriggers, openAuditDb } from '../../shared/append-only-db';
import type { SignedTreeHead } from './tree-head';

/** Where the tree stood when a head was signed: enough to go on appending without reading the log again. */
export interface TreeState {
  head: SignedTreeHead;
  /** The compact range (Frontier.toJSON). */
  frontier: [number, string][];
  /** The last event covered: its global position and hash, checked against the log on start. */
  lastPosition: number;
  lastEventHash: string;
}

/**
 * The signed tree heads, append-only. Each row keeps the frontier the head was computed from, so that a
 * restarted writer (or the server that takes over the `digest-writer` lease) appends from there (O(log n)
 * per event) instead of hashing the whole log again. Two adapters pass one contract
 * (tree-head-log.contract.ts): SQLite in `audit-tree.db` beside the digests, the embedded default, and
 * PostgreSQL with DATABASE_URL.
 */
export abstract class TreeHeadLog {
  /** Where the heads are kept, as the writer's refusals name it (`audit-tree.db`, `audit_tree_heads`). */
  abstract readonly where: string;
  abstract last(): Promise<TreeState | null>;
  /** Every head, oldest first. */
  abstract heads(): Promise<SignedTreeHead[]>;
  /**
   * Appends a head unless the last stored one already covers as many events or more (another writer
   * signed meanwhile): heads only grow, one per size. Says whether it wrote.
   */
  abstract append(state: TreeState): Promise<boolean>;
  abstract close(): Promise<void>;
}

/** `<dataDir>/audit-tree.db`: the embedded default. */
export class SqliteTreeHeadLog extends TreeHeadLog {
  readonly where = 'audit-tree.db';
  private readonly db: Db;

  constructor(file: string) {
    super();
    this.db = openAuditDb(file);
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS tree_heads (
        seq INTEGER PRIMARY KEY,
        tree_size INTEGER NOT NULL,
        head TEXT NOT NULL,
        frontier TEXT NOT NULL,
        last_position INTEGER NOT NULL,
        last_event_hash TEXT NOT NULL
      );
      ${appendOnlyTriggers('tree_heads', 'tree heads are append-only')}
    `);
  }

  async last(): Promise<TreeState | null> {
    const row = this.db.prepare('SELECT head, frontier, last_position, last_event_hash FROM tree_heads ORDER BY seq DESC LIMIT 1').get() as
      TreeStateRow | undefined;
    return row ? treeStateFromRow(row) : null;
  }

  async heads(): Promise<SignedTreeHead[]> {
    return (this.db.prepare('SELECT head FROM tree_heads ORDER BY seq').pluck().all() as string[]).map((h) => JSON.parse(h) as SignedTreeHead);
  }

  /** An immediate transaction: a second process on the same file waits for it (busy_timeout). */
  async append(state: TreeState): Promise<boolean> {
    const tx = this.db.transaction(() => {
      const size = this.db.prepare('SELECT tree_size FROM tree_heads ORDER BY seq DESC LIMIT 1').pluck().get() as number | undefined;
      if (size !== undefined && size >= state.head.treeSize) return false;
      this.db
        .prepare('INSERT INTO tree_heads (tree_size, head, frontier, last_position, last_event_hash) VALUES (?, ?, ?, ?, ?)')
        .run(state.head.treeSize, JSON.stringify(state.head), JSON.stringify(state.frontier), state.lastPosition, state.lastEventHash);
      return true;
    });
    return tx.immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** A stored head's columns, as both adapters read them. */
export interface TreeStateRow {
  head: string;
  frontier: string;
  last_position: number | string;
  last_event_hash: string;
}

export function treeStateFromRow(row: TreeStateRow): TreeState {
  return {
    head: JSON.parse(row.head) as SignedTreeHead,
    frontier: JSON.parse(row.frontier) as [number, string][],
    lastPosition: Number(row.last_position),
    lastEventHash: row.last_event_hash,
  };
}
