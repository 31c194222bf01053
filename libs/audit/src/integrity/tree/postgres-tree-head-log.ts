import type { Pool } from 'pg';
import { ensurePostgresTables, inPostgresTransaction, postgresPool } from '@cbec/event-store';
import { postgresAppendOnlyTriggers } from '../../shared/append-only-db';
import type { SignedTreeHead } from './tree-head';
import { type TreeState, TreeHeadLog, treeStateFromRow, type TreeStateRow } from './tree-head-log';

/**
 * The signed tree heads in PostgreSQL (DATABASE_URL): table `audit_tree_heads`, created on first use, one
 * sequence of heads for every server on the database (the holder of the `digest-writer` lease signs them).
 * Triggers refuse UPDATE, DELETE and TRUNCATE. An append locks the table against other appends for its
 * transaction and writes only a head larger than the last; `tree_size` is unique besides: no two heads of
 * one size, whoever signs them.
 */
export class PostgresTreeHeadLog extends TreeHeadLog {
  readonly where = 'the database table audit_tree_heads';
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'audit-tree-heads');
    this.ready = ensurePostgresTables(
      this.pool,
      'audit-tree',
      `CREATE TABLE IF NOT EXISTS audit_tree_heads (
        seq BIGSERIAL PRIMARY KEY, tree_size BIGINT NOT NULL UNIQUE, head TEXT NOT NULL, frontier TEXT NOT NULL,
        last_position BIGINT NOT NULL, last_event_hash TEXT NOT NULL);
      ${postgresAppendOnlyTriggers('audit_tree_heads', 'tree heads are append-only')}`,
    );
    this.ready.catch(() => undefined);
  }

  async last(): Promise<TreeState | null> {
    await this.ready;
    const { rows } = await this.pool.query<TreeStateRow>(
      'SELECT head, frontier, last_position, last_event_hash FROM audit_tree_heads ORDER BY seq DESC LIMIT 1',
    );
    return rows[0] ? treeStateFromRow(rows[0]) : null;
  }

  async heads(): Promise<SignedTreeHead[]> {
    await this.ready;
    return (await this.pool.query<{ head: string }>('SELECT head FROM audit_tree_heads ORDER BY seq')).rows.map((r) => JSON.parse(r.head) as SignedTreeHead);
  }

  async append(state: TreeState): Promise<boolean> {
    await this.ready;
    return inPostgresTransaction(this.pool, async (client) => {
      // EXCLUSIVE: readers go on; another append waits here until this one commits, then sees its head.
      await client.query('LOCK TABLE audit_tree_heads IN EXCLUSIVE MODE');
      const { rows } = await client.query<{ tree_size: string }>('SELECT tree_size FROM audit_tree_heads ORDER BY seq DESC LIMIT 1');
      const written = !rows[0] || Number(rows[0].tree_size) < state.head.treeSize;
      if (written) {
        await client.query('INSERT INTO audit_tree_heads (tree_size, head, frontier, last_position, last_event_hash) VALUES ($1, $2, $3, $4, $5)', [
          state.head.treeSize,
          JSON.stringify(state.head),
          JSON.stringify(state.frontier),
          state.lastPosition,
          state.lastEventHash,
        ]);
      }
      return written;
    });
  }

  async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }
}
