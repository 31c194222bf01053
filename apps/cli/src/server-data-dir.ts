import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliUsageError } from './cli';

/** The SQLite event store's file: its presence makes a folder a server's data folder. */
export const STORE_FILE = 'events.db';

/** Whether `dataDir` holds the server's event log: its events.db, or the log is in PostgreSQL or EventStoreDB. */
export function holdsEventStore(dataDir: string, env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.DATABASE_URL?.trim() || env.EVENTSTORE_CONNECTION_STRING?.trim()) || existsSync(join(dataDir, STORE_FILE));
}

/**
 * Refuses (exit 2) a CBEC_DATA_DIR that holds no event store, before anything is opened there: opening a
 * store in a wrong, misspelt or unset folder would create an empty one (and its files) as a side effect.
 */
export function requireServerDataDir(dataDir: string, env: NodeJS.ProcessEnv): void {
  if (!holdsEventStore(dataDir, env)) {
    throw new CliUsageError(`${dataDir} (CBEC_DATA_DIR) holds no event store (${STORE_FILE}): set CBEC_DATA_DIR to the server's data folder`);
  }
}
