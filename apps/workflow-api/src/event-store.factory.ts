import { EventStore, openEventStoreDbEventStore, openPostgresEventStore, openSqliteEventStore } from '@cbec/event-store';

/** Which engine holds the log: `DATABASE_URL` (PostgreSQL), `EVENTSTORE_CONNECTION_STRING`, else SQLite. */
export function eventLogEngine(env: NodeJS.ProcessEnv = process.env): 'postgres' | 'eventstoredb' | 'sqlite' {
  const postgres = Boolean(env.DATABASE_URL?.trim());
  const eventStoreDb = Boolean(env.EVENTSTORE_CONNECTION_STRING?.trim());
  if (postgres && eventStoreDb) throw new Error('DATABASE_URL and EVENTSTORE_CONNECTION_STRING are both set: the log lives in one engine, unset one of them');
  return postgres ? 'postgres' : eventStoreDb ? 'eventstoredb' : 'sqlite';
}

/**
 * The embedded default is SQLite in the data dir; `DATABASE_URL` puts the log on PostgreSQL (the production
 * engine, docs/adr/0007), `EVENTSTORE_CONNECTION_STRING` on EventStoreDB. The other stores stay in the data
 * dir (docs/operations.md, "PostgreSQL").
 */
export function openEventStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): EventStore {
  switch (eventLogEngine(env)) {
    case 'postgres':
      return openPostgresEventStore({ connectionString: env.DATABASE_URL!.trim() });
    case 'eventstoredb':
      return openEventStoreDbEventStore({ connectionString: env.EVENTSTORE_CONNECTION_STRING!.trim() });
    default:
      break;
  }
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
