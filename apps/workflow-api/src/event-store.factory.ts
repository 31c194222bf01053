import { EventStore, openSqliteEventStore } from '@cbec/event-store';

/**
 * The embedded default is SQLite in the data dir; `EVENTSTORE_CONNECTION_STRING` switches the log to
 * EventStoreDB (read models, the JWT secret and the idempotency answers stay in the data dir).
 */
export async function openEventStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<EventStore> {
  const connection = env.EVENTSTORE_CONNECTION_STRING?.trim();
  if (connection) {
    const adapter = (await import('@cbec/event-store')) as Record<string, unknown>;
    const open = adapter.openEventStoreDbEventStore as ((options: { connectionString: string }) => EventStore | Promise<EventStore>) | undefined;
    if (typeof open !== 'function') {
      throw new Error('EVENTSTORE_CONNECTION_STRING is set but this build has no EventStoreDB adapter (openEventStoreDbEventStore)');
    }
    return open({ connectionString: connection });
  }
  return openSqliteEventStore({ directory: dataDir });
}
