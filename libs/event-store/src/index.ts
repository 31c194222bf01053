export * from './event-store.port';
export * from './hash-chain';
export * from './upcasters';
export * from './verify';
export * from './expected-version';
export { PollingSubscription, type PollingPage, type PollingSource, type StoreLogger } from './polling-subscription';
export { SqliteEventStore, openSqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store';
export { dropAppendOnlyGuards, MIGRATIONS, migrate, type Migration } from './sqlite/migrations';
export { verifySqliteDatabase } from './sqlite/sqlite-verify';
export { EventStoreDbEventStore, openEventStoreDbEventStore, type EventStoreDbOptions } from './eventstoredb/eventstoredb-event-store';
export { InMemoryEventStore, InMemoryEventLog, type InMemoryEventStoreOptions } from './in-memory/in-memory-event-store';
export { workerScript } from './worker-script';
export { SupervisedThread, type SupervisedThreadOptions } from './supervised-thread';
export { runInBackground, BACKGROUND_NICE } from './thread-priority';
export { secureDataFolder, DATA_DIR_MODE, DATA_FILE_MODE } from './data-folder';
export { PostgresEventStore, openPostgresEventStore, type PostgresEventStoreOptions } from './postgres/postgres-event-store';
export { POSTGRES_MIGRATIONS, migratePostgres, dropPostgresAppendOnlyGuards, ensurePostgresTables, type PostgresMigration } from './postgres/postgres-schema';
export { PostgresLease, type PostgresLeaseOptions } from './postgres/postgres-lease';
export {
  postgresPool,
  postgresApplicationName,
  inPostgresTransaction,
  POSTGRES_POOL_SIZES,
  POSTGRES_LEASE_NAMES,
  POSTGRES_CONNECTIONS_PER_PROCESS,
  type PostgresPoolName,
} from './postgres/postgres-pool';
