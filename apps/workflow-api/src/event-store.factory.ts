import { EventStore, openEventStoreDbEventStore, openSqliteEventStore } from '@cbec/event-store';

/**
 * The embedded default is SQLite in the data dir; `EVENTSTORE_CONNECTION_STRING` switches the log to
 * EventStoreDB (read models, the JWT secret and the idempotency answers stay in the data dir).
 */
export function openEventStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): EventStore {
  const connectionString = env.EVENTSTORE_CONNECTION_STRING?.trim();
  if (connectionString) return openEventStoreDbEventStore({ connectionString });
  // FULL (default): an acknowledged command survives power loss; NORMAL: survives a crash of the process.
  const synchronous = env.CBEC_SQLITE_SYNCHRONOUS?.trim().toUpperCase() || 'FULL';
  if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
    throw new Error(`CBEC_SQLITE_SYNCHRONOUS must be FULL or NORMAL, got ${JSON.stringify(env.CBEC_SQLITE_SYNCHRONOUS)}`);
  }
  // The writer thread: a commit's fsync does not stall the requests being parsed meanwhile (they form the
  // next batch).
  // A customs import of one large year appends it in one transaction (docs/imports.md: ~1.4 s per 70,000
  // rows here); the commands that arrive meanwhile wait for the lock rather than fail after 5 s.
  return openSqliteEventStore({ directory: dataDir, synchronous, writer: 'thread', busyTimeoutMs: 30_000 });
}
