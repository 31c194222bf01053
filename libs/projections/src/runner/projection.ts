import type { RecordedEvent } from '@cbec/event-store';

/**
 * One read model: a handler `(event, tx) -> Promise<void>` over SQL rows of its own tables. The runner
 * calls it inside a transaction that also stores the projection's checkpoint, so a row change and the
 * position it reflects are committed together or not at all. The same handler runs on SQLite and on
 * PostgreSQL (`ReadModelEngine`): its SQL is the subset both speak, with `?` placeholders.
 */
export interface Projection {
  /** Stable name: the key of its checkpoint. */
  readonly name: string;
  /** Bump when the tables or the meaning of the rows change: the runner then rebuilds it from the log. */
  readonly version: number;
  readonly tables: readonly TableSpec[];
  /** Applies one event; events it does not follow are a no-op. Must not read the clock or anything but `tx`. */
  apply(event: RecordedEvent, tx: ProjectionTx): Promise<void>;
}

export interface TableSpec {
  name: string;
  /**
   * `CREATE TABLE <name> (...)` in SQLite's words (INTEGER, TEXT, `WITHOUT ROWID`); the PostgreSQL engine
   * reads INTEGER as BIGINT (money in fen passes 2^31) and TEXT as TEXT COLLATE "C" (SQLite's byte order).
   */
  ddl: string;
  indexes?: readonly string[];
  /** Columns identifying a row (its primary key): how two read-model stores are compared. */
  key: readonly string[];
}

/** The engine a statement runs on: SQL both speak is written once; what differs asks for it. */
export type SqlDialect = 'sqlite' | 'postgres';

/**
 * The SQL a projection (or a query) may run, with `?` placeholders. Integers come back as numbers (the
 * exact money reads go through `SqlReader.exact`).
 */
export interface ProjectionTx {
  readonly dialect: SqlDialect;
  /** Returns the number of rows changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
}
