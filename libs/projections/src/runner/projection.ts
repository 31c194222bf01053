import type { RecordedEvent } from '@cbec/event-store';

/**
 * One read model: a handler `(event, tx) -> void` over SQL rows of its own tables. The runner calls it
 * inside a transaction that also stores the projection's checkpoint, so a row change and the position
 * it reflects are committed together or not at all.
 */
export interface Projection {
  /** Stable name: the key of its checkpoint. */
  readonly name: string;
  /** Bump when the tables or the meaning of the rows change: the runner then rebuilds it from the log. */
  readonly version: number;
  readonly tables: readonly TableSpec[];
  /** Applies one event; events it does not follow are a no-op. Must not read the clock or anything but `tx`. */
  apply(event: RecordedEvent, tx: ProjectionTx): void;
}

export interface TableSpec {
  name: string;
  /** `CREATE TABLE <name> (...)` (the runner adds IF NOT EXISTS semantics by checking the catalog). */
  ddl: string;
  indexes?: readonly string[];
  /** Columns identifying a row (its primary key): how two read-model files are compared. */
  key: readonly string[];
}

/** The SQL a projection may run: statements are prepared once per connection and cached. */
export interface ProjectionTx {
  run(sql: string, ...params: unknown[]): number;
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T | undefined;
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
}
