import Database from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EngineTx, ReadModelEngine, SqlReader } from './read-model-engine';
import { exactAnyOf, exactRowOf } from './read-model-engine';

export interface SqliteEngineOptions {
  /**
   * Scratch storage (a rebuild): no fsync at all. A crash loses the scratch file, which is rebuilt anyway.
   * Live storage uses WAL with synchronous=NORMAL: a commit survives a process crash; an OS crash may
   * lose the last commits together with their checkpoints, which are then re-applied from the log.
   */
  scratch?: boolean;
  readonly?: boolean;
}

/**
 * The write transactions of this process per file, one after another. A transaction spans `await`s; a
 * second connection of the same process starting its own meanwhile would wait for the file's lock in a
 * synchronous busy loop, and the first could never finish on the blocked thread. Other processes wait on
 * the lock itself (busy_timeout), as before.
 */
const writersOfFile = new Map<string, Promise<unknown>>();

/** Prepared statements of one connection, prepared once (the projections and queries run the same SQL often). */
class Statements {
  private readonly plain = new Map<string, Database.Statement>();
  private readonly exact = new Map<string, Database.Statement>();
  constructor(readonly db: Database.Database) {}

  get(sql: string): Database.Statement {
    let s = this.plain.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.plain.set(sql, s);
    }
    return s;
  }

  /** Integers as bigint (better-sqlite3's safeIntegers): exact at any 64-bit value. */
  exactly(sql: string): Database.Statement {
    let s = this.exact.get(sql);
    if (!s) {
      s = this.db.prepare(sql).safeIntegers(true);
      this.exact.set(sql, s);
    }
    return s;
  }
}

function readerOf(statements: Statements): SqlReader {
  return {
    dialect: 'sqlite',
    get: async <T>(sql: string, ...params: unknown[]) => statements.get(sql).get(...params) as T | undefined,
    all: async <T>(sql: string, ...params: unknown[]) => statements.get(sql).all(...params) as T[],
    exact: async <T>(money: readonly string[], sql: string, ...params: unknown[]) =>
      (statements.exactly(sql).all(...params) as Record<string, unknown>[]).map((r) => exactRowOf<T>(r, money)),
    exactAny: async (sql: string, ...params: unknown[]) => (statements.exactly(sql).all(...params) as Record<string, unknown>[]).map(exactAnyOf),
    hasTable: async (name: string) => statements.get(`SELECT 1 AS found FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined,
    /**
     * `data_version` moves on commits of other connections (another process, the rebuild CLI),
     * `total_changes()` on row changes of this one, `schema_version` on tables dropped or recreated.
     */
    changeSignature: async () => {
      const row = statements
        .get(
          `SELECT (SELECT data_version FROM pragma_data_version) AS d, (SELECT schema_version FROM pragma_schema_version) AS s,
             total_changes() AS c`,
        )
        .get() as { d: number; s: number; c: number };
      return `${row.d}:${row.s}:${row.c}`;
    },
  };
}

/**
 * The read models in a SQLite file (`<CBEC_DATA_DIR>/read-models.db`), the embedded default. Writes go
 * through one connection, reads through another: a projection's transaction spans `await`s, and a query
 * running meanwhile must see the last commit, not the rows half-way through a batch.
 */
export class SqliteReadModelEngine implements ReadModelEngine {
  readonly dialect = 'sqlite' as const;
  readonly db: Database.Database;
  private readDb: Database.Database | null = null;
  private readonly writes: Statements;
  private readStatements: Statements | null = null;
  private readerCache: SqlReader | null = null;
  private savepoints = 0;
  private readonly tx: EngineTx;

  private static opened = 0;
  private readonly id = ++SqliteReadModelEngine.opened;

  constructor(
    readonly file: string,
    private readonly options: SqliteEngineOptions = {},
  ) {
    this.db = this.connect();
    this.writes = new Statements(this.db);
    const writes = this.writes;
    const reader = readerOf(writes);
    this.tx = {
      ...reader,
      run: async (sql, ...params) => writes.get(sql).run(...params).changes,
      exec: async (sql) => void this.db.exec(sql),
      savepoint: (body) => this.savepoint(body),
    };
  }

  get location(): string {
    return this.file;
  }

  private connect(): Database.Database {
    const db = new Database(this.file, { readonly: this.options.readonly ?? false });
    if (!this.options.readonly) {
      db.pragma('journal_mode = WAL');
      db.pragma(this.options.scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
      // A batch's per-projection savepoints journal every page they change: in memory, not in a temp file
      // spilled after 64 KiB (a sub-journal is never needed after a crash).
      db.pragma('temp_store = MEMORY');
    }
    db.pragma('busy_timeout = 10000');
    return db;
  }

  /** The connection queries read through (opened on first use). */
  get reader(): SqlReader {
    if (this.readerCache) return this.readerCache;
    if (!this.readStatements) {
      // In memory (specs) the data is the connection's own: read it there.
      this.readDb = this.options.readonly || this.file === ':memory:' ? this.db : this.connect();
      this.readStatements = new Statements(this.readDb);
    }
    this.readerCache = readerOf(this.readStatements);
    return this.readerCache;
  }

  /** The reading connection itself (the legacy synchronous readers of tests and tools). */
  get readConnection(): Database.Database {
    void this.reader;
    return this.readDb!;
  }

  private get key(): string {
    return this.file === ':memory:' ? `:memory:${this.id}` : resolve(this.file);
  }

  private get chain(): Promise<unknown> {
    return writersOfFile.get(this.key) ?? Promise.resolve();
  }

  private set chain(next: Promise<unknown>) {
    writersOfFile.set(this.key, next);
  }

  write<T>(body: (tx: EngineTx) => Promise<T>): Promise<T> {
    // One transaction at a time per file in this process; other processes wait on the file's lock.
    const run = this.chain.then(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await body(this.tx);
        this.db.exec('COMMIT');
        return result;
      } catch (error) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw error;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async savepoint<T>(body: () => Promise<T>): Promise<T> {
    const name = `sp${++this.savepoints}`;
    this.db.exec(`SAVEPOINT ${name}`);
    try {
      const result = await body();
      this.db.exec(`RELEASE ${name}`);
      return result;
    } catch (error) {
      if (this.db.inTransaction) this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
      throw error;
    }
  }

  ddl(sql: string): string {
    return sql;
  }

  own(table: string): string {
    return `main.${table}`;
  }

  async scratchBeside(suffix: string): Promise<ReadModelEngine> {
    const file = `${this.file}.${suffix}`;
    removeSqliteFiles(file);
    return new SqliteReadModelEngine(file, { scratch: true });
  }

  async withAttached<T>(other: ReadModelEngine, body: (prefix: string) => Promise<T>): Promise<T> {
    if (!(other instanceof SqliteReadModelEngine)) throw new TypeError(`cannot attach ${other.location} to the SQLite file ${this.file}`);
    other.db.pragma('wal_checkpoint(TRUNCATE)');
    // ATTACH and DETACH are refused inside a transaction: between this connection's writes.
    await this.exclusive(() => this.db.prepare('ATTACH DATABASE ? AS scratch').run(other.file));
    try {
      return await body('scratch.');
    } finally {
      await this.exclusive(() => this.db.exec('DETACH DATABASE scratch'));
    }
  }

  private exclusive<T>(step: () => T): Promise<T> {
    const run = this.chain.then(step);
    this.chain = run.catch(() => undefined);
    return run;
  }

  async close(): Promise<void> {
    await this.chain;
    if (writersOfFile.get(this.key) !== undefined && this.file === ':memory:') writersOfFile.delete(this.key);
    if (this.readDb && this.readDb !== this.db && this.readDb.open) this.readDb.close();
    if (this.db.open) this.db.close();
  }

  async destroy(): Promise<void> {
    await this.close();
    removeSqliteFiles(this.file);
  }
}

export function removeSqliteFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (existsSync(f)) rmSync(f);
}
