import { openSqliteEventStore, PostgresEventStore, type EventStore } from '@cbec/event-store';

/**
 * The store the server uses, opened the same way from the same environment: SQLite in CBEC_DATA_DIR,
 * PostgreSQL when DATABASE_URL is set, or EventStoreDB when EVENTSTORE_CONNECTION_STRING is set and the
 * adapter is built in.
 */
export async function openStoreLikeTheServer(dataDir: string, env: NodeJS.ProcessEnv): Promise<EventStore> {
  const databaseUrl = env.DATABASE_URL?.trim();
  if (databaseUrl) {
    if (env.EVENTSTORE_CONNECTION_STRING?.trim())
      throw new Error('DATABASE_URL and EVENTSTORE_CONNECTION_STRING are both set: the log lives in one engine, unset one of them');
    return PostgresEventStore.open({ connectionString: databaseUrl, logger: { error: (message, ...rest) => console.error(message, ...rest) } });
  }
  const connection = env.EVENTSTORE_CONNECTION_STRING?.trim();
  if (connection) {
    const adapter = (await import('@cbec/event-store')) as Record<string, unknown>;
    const open = adapter.openEventStoreDbEventStore as ((o: { connectionString: string }) => EventStore | Promise<EventStore>) | undefined;
    if (typeof open !== 'function') throw new Error('EVENTSTORE_CONNECTION_STRING is set but this build has no EventStoreDB adapter');
    return open({ connectionString: connection });
  }
  return openSqliteEventStore({ directory: dataDir, logger: { error: (message, ...rest) => console.error(message, ...rest) } });
}
