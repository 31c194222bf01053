import { Pool, type PoolClient, type PoolConfig } from 'pg';

/**
 * The connections each store of one process may hold at most (docs/operations.md, "PostgreSQL"): the sum,
 * with one connection per lease, is the process's budget, POSTGRES_CONNECTIONS_PER_PROCESS. Pools open
 * connections as work needs them and close those idle for 10 s, so a quiet server holds its leases' only.
 */
export const POSTGRES_POOL_SIZES = {
  events: 4,
  'read-models': 4,
  auth: 4,
  process: 3,
  idempotency: 2,
  'token-revocations': 2,
  'security-log': 2,
  'read-log': 2,
  'audit-digests': 2,
  'audit-tree-heads': 2,
  'relay-checkpoint': 1,
  // Read once at a server's start and by `cli calendar` (the working-day calendars), then closed.
  calendar: 1,
} as const satisfies Record<string, number>;

export type PostgresPoolName = keyof typeof POSTGRES_POOL_SIZES;

/** The leases a server may hold, one connection each (PostgresLease). */
export const POSTGRES_LEASE_NAMES = ['projector', 'approval-process', 'digest-writer', 'kafka-relay:<topic>'] as const;

/** The most connections one process (a server, a worker of CBEC_WORKERS) opens to the database. */
export const POSTGRES_CONNECTIONS_PER_PROCESS = Object.values(POSTGRES_POOL_SIZES).reduce((sum: number, n: number) => sum + n, 0) + POSTGRES_LEASE_NAMES.length;

/**
 * `application_name` of a connection: `cbec[<pid>] <purpose>`, so `pg_stat_activity` tells which process holds
 * which connections and what for (a lease, a store's pool). PostgreSQL keeps 63 bytes of it.
 */
export function postgresApplicationName(purpose: string): string {
  return `cbec[${process.pid}] ${purpose}`.slice(0, 63);
}

/** A store's pool: its budgeted size, named in pg_stat_activity, an idle connection's failure logged, not thrown. */
export function postgresPool(
  connectionString: string,
  name: PostgresPoolName,
  options: Omit<PoolConfig, 'connectionString' | 'application_name'> & { onIdleError?: (error: Error) => void } = {},
): Pool {
  const { onIdleError, ...config } = options;
  const pool = new Pool({ max: POSTGRES_POOL_SIZES[name], ...config, connectionString, application_name: postgresApplicationName(name) });
  // An idle connection that breaks (a server restart, a network cut) is dropped by the pool; the next query
  // opens another. Unhandled, the pool's 'error' event would crash the process.
  pool.on('error', onIdleError ?? (() => undefined));
  return pool;
}

/**
 * BEGIN, `body` on one connection of `pool`, COMMIT; ROLLBACK on any error, so nothing is half-written. The
 * connection goes back to the pool, unless its ROLLBACK failed too (a broken connection, or one still inside the
 * transaction): then the pool discards it. `body` takes its locks first (an advisory or a table lock) when it must.
 */
export async function inPostgresTransaction<T>(pool: Pool, body: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await body(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch((e: Error) => (broken = e));
    throw error;
  } finally {
    client.release(broken);
  }
}
