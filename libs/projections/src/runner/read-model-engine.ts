import type { ProjectionTx, SqlDialect } from './projection';

/** Reads outside a projection's transaction (the queries of the API, the status, the comparison). */
export interface SqlReader {
  readonly dialect: SqlDialect;
  get<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /**
   * Rows whose `moneyColumns` come back as bigint, exact at any amount a column holds (fen), every other
   * integer as a number. A money column holding anything but an exact integer is refused, never rounded.
   */
  exact<T = Record<string, unknown>>(moneyColumns: readonly string[], sql: string, ...params: unknown[]): Promise<T[]>;
  /** Every integer exactly: a number where that is exact, else its decimal text (the comparison of two stores). */
  exactAny(sql: string, ...params: unknown[]): Promise<Record<string, unknown>[]>;
  /** Whether the store has this table (a store written before the projection existed has not). */
  hasTable(name: string): Promise<boolean>;
  /**
   * A text that changes whenever the store may have changed (a cache key for costly counts), or null
   * when the engine has no cheap one (then nothing is cached).
   */
  changeSignature(): Promise<string | null>;
}

/** A write transaction of the read-model store. */
export interface EngineTx extends ProjectionTx, SqlReader {
  /** Runs `body` in a savepoint: a throw rolls back only what `body` did, then propagates. */
  savepoint<T>(body: () => Promise<T>): Promise<T>;
  /** DDL and other statements without parameters or rows. */
  exec(sql: string): Promise<void>;
}

/**
 * Where the read models live: a SQLite file (the embedded default) or a schema of a PostgreSQL database
 * (`DATABASE_URL`). The runner, the rebuild, the comparison and the queries go through this one
 * interface, so each of them is one code path on both engines.
 */
export interface ReadModelEngine {
  readonly dialect: SqlDialect;
  /** For messages: the file, or the database and schema. */
  readonly location: string;
  readonly reader: SqlReader;
  /**
   * One write transaction, serialised with every other writer of the same store (SQLite: BEGIN
   * IMMEDIATE; PostgreSQL: a transaction-level advisory lock on the schema), so two writers never apply
   * the same event twice: each re-reads the checkpoints inside it.
   */
  write<T>(body: (tx: EngineTx) => Promise<T>): Promise<T>;
  /** The table's CREATE statement in this engine's words (see `TableSpec.ddl`). */
  ddl(sql: string): string;
  /** A table of this store by a name that never means an attached store's table of the same name. */
  own(table: string): string;
  /**
   * Runs `body` with `other` (a store of the same engine: the scratch copy of a rebuild) readable inside
   * this store's write transactions as `<prefix><table>`.
   */
  withAttached<T>(other: ReadModelEngine, body: (prefix: string) => Promise<T>): Promise<T>;
  /**
   * A new, empty store beside this one, for scratch work (a rebuild's copy): the file `<file>.<suffix>`,
   * or the schema `<schema>_<suffix>` of the same database. Anything left there by an earlier run is removed.
   */
  scratchBeside(suffix: string): Promise<ReadModelEngine>;
  close(): Promise<void>;
  /** Closes and removes the store (a scratch copy): the files, or the schema. */
  destroy(): Promise<void>;
}

/** Integers of a row as numbers (a read that needs exact fen asks `exact`). */
export function numbersOf<T>(row: Record<string, unknown>): T {
  for (const [key, value] of Object.entries(row)) if (typeof value === 'bigint') row[key] = Number(value);
  return row as T;
}

/**
 * A row read with integers as bigint: the money columns stay bigint, every other integer becomes a number.
 * A money column holding a non-integer means SQLite's integer arithmetic overflowed into a REAL: refused.
 */
export function exactRowOf<T>(row: Record<string, unknown>, moneyColumns: readonly string[]): T {
  for (const [key, value] of Object.entries(row)) {
    if (moneyColumns.includes(key)) {
      if (value !== null && typeof value !== 'bigint') throw new RangeError(`read model column ${key} holds ${String(value)}, not an exact number of fen`);
    } else if (typeof value === 'bigint') {
      row[key] = Number(value);
    }
  }
  return row as T;
}

/** Every integer as a number where exact, else as its decimal text: two values above 2^53 never compare equal by accident. */
export function exactAnyOf(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') row[key] = Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  }
  return row;
}

/**
 * `<column> holds a JSON array of text with the value of the next placeholder among its elements`, in the
 * dialect's words (SQLite's json_each, PostgreSQL's json_array_elements_text): the one JSON function the
 * read side needs, so the SQL around it stays the same on both engines.
 */
export function jsonArrayHasSql(dialect: SqlDialect, column: string): string {
  return dialect === 'postgres'
    ? `EXISTS (SELECT 1 FROM json_array_elements_text(${column}::json) AS element(value) WHERE element.value = ?)`
    : `EXISTS (SELECT 1 FROM json_each(${column}) WHERE json_each.value = ?)`;
}
