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
 * The signed tree heads, in their own append-only file (`audit-tree.db`) beside the digests. Each row
 * keeps the frontier the head was computed from, so that a restarted writer appends from there
 * (O(log n) per event) instead of hashing the whole log again.
 */
export class TreeHeadLog {
  private readonly db: Db;

  constructor(file: string) {
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

  last(): TreeState | null {
    const row = this.db.prepare('SELECT head, frontier, last_position, last_event_hash FROM tree_heads ORDER BY seq DESC LIMIT 1').get() as Row | undefined;
    return row ? fromRow(row) : null;
  }

  /** Every head, oldest first. */
  heads(): SignedTreeHead[] {
    return (this.db.prepare('SELECT head FROM tree_heads ORDER BY seq').pluck().all() as string[]).map((h) => JSON.parse(h) as SignedTreeHead);
  }

  append(state: TreeState): void {
    this.db
      .prepare('INSERT INTO tree_heads (tree_size, head, frontier, last_position, last_event_hash) VALUES (?, ?, ?, ?, ?)')
      .run(state.head.treeSize, JSON.stringify(state.head), JSON.stringify(state.frontier), state.lastPosition, state.lastEventHash);
  }

  close(): void {
    this.db.close();
  }
}

interface Row {
  head: string;
  frontier: string;
  last_position: number;
  last_event_hash: string;
}

function fromRow(row: Row): TreeState {
  return {
    head: JSON.parse(row.head) as SignedTreeHead,
    frontier: JSON.parse(row.frontier) as [number, string][],
    lastPosition: row.last_position,
    lastEventHash: row.last_event_hash,
  };
}
