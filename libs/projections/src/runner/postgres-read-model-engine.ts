import { createHash } from 'node:crypto';
import { type Pool, type PoolClient, types } from 'pg';
import { inPostgresTransaction, postgresPool } from '@cbec/event-store';
import type { EngineTx, ReadModelEngine, SqlReader } from './read-model-engine';
import { exactAnyOf, exactRowOf, numbersOf } from './read-model-engine';

/** The schema the live read models take in the database (beside the event log's tables). */
export const READ_MODELS_SCHEMA = 'read_models';

export interface PostgresEngineOptions {
  connectionString: string;
  /** Default `read_models`; a rebuild's scratch copy takes a schema of its own in the same database. */
  schema?: string;
  /** Scratch storage: commits without waiting for the WAL flush (a crash loses a copy rebuilt anyway). */
  scratch?: boolean;
  poolSize?: number;
}

/**
 * BIGINT (and a SUM of them, NUMERIC) come back as bigint, never as pg's default text or a rounded
 * number: each read then says which columns are money (kept exact) and which are plain numbers.
 */
const exactTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === types.builtins.INT8) return (value: string) => BigInt(value);
    if (oid === types.builtins.NUMERIC) return (value: string) => (/^-?\d+$/.test(value) ? BigInt(value) : Number(value));
    return types.getTypeParser(oid, format ?? 'text');
  }) as typeof types.getTypeParser,
};

const translated = new Map<string, { text: string; name: string }>();

/**
 * `?` placeholders as `$1, $2, …` (outside quoted text and identifiers), and a statement name, so each
 * connection prepares a statement once and then only binds.
 */
export function toPostgres(sql: string): { text: string; name: string } {
  let found = translated.get(sql);
  if (found) return found;
  let text = '';
  let n = 0;
  let quote: string | null = null;
  for (const c of sql) {
    if (quote) {
      if (c === quote) quote = null;
      text += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      text += c;
    } else if (c === '?') text += `$${++n}`;
    else text += c;
  }
  found = { text, name: `rm_${createHash('sha1').update(text).digest('hex').slice(0, 20)}` };
  translated.set(sql, found);
  return found;
}

function values(params: unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'bigint' ? p.toString() : p === undefined ? null : p));
}

type Queryable = Pick<PoolClient, 'query'>;

function readerOn(on: () => Queryable): SqlReader & { run(sql: string, ...params: unknown[]): Promise<number> } {
  const rows = async (sql: string, params: unknown[]): Promise<Record<string, unknown>[]> => {
    const { text, name } = toPostgres(sql);
    return (await on().query({ text, name, values: values(params) })).rows as Record<string, unknown>[];
  };
  return {
    dialect: 'postgres',
    get: async <T>(sql: string, ...params: unknown[]) => {
      const [row] = await rows(sql, params);
      return row === undefined ? undefined : numbersOf<T>(row);
    },
    all: async <T>(sql: string, ...params: unknown[]) => (await rows(sql, params)).map((r) => numbersOf<T>(r)),
    exact: async <T>(money: readonly string[], sql: string, ...params: unknown[]) => (await rows(sql, params)).map((r) => exactRowOf<T>(r, money)),
    exactAny: async (sql: string, ...params: unknown[]) => (await rows(sql, params)).map(exactAnyOf),
    hasTable: async (name: string) =>
      (await rows(`SELECT 1 AS found FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = ?`, [name])).length > 0,
    // No cheap "anything changed" counter: nothing is cached.
    changeSignature: async () => null,
    run: async (sql: string, ...params: unknown[]) => {
      const { text, name } = toPostgres(sql);
      return (await on().query({ text, name, values: values(params) })).rowCount ?? 0;
    },
  };
}

/** A 64-bit advisory-lock key (decimal text) naming the writers of one schema. */
function writeLockKey(schema: string): string {
  return createHash('sha256').update(`cbec-read-models:${schema}`).digest().readBigInt64BE(0).toString();
}

function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`not a plain schema name: "${name}"`);
  return `"${name}"`;
}

/**
 * The read models in a schema of a PostgreSQL database (`DATABASE_URL`), shared by every server on it.
 * Each connection has the schema as its search path, so the projections' SQL names its tables as on
 * SQLite. Writers serialise on a transaction-level advisory lock of the schema: the one projector under
 * its lease, a rebuild swapping its copy in, a server creating a projection's tables at start.
 */
export class PostgresReadModelEngine implements ReadModelEngine {
  readonly dialect = 'postgres' as const;
  readonly schema: string;
  readonly pool: Pool;
  readonly reader: SqlReader;
  private readonly lockKey: string;
  private schemaReady = false;
  private savepoints = 0;

  constructor(private readonly options: PostgresEngineOptions) {
    this.schema = options.schema ?? READ_MODELS_SCHEMA;
    quoteIdent(this.schema);
    this.lockKey = writeLockKey(this.schema);
    this.pool = postgresPool(options.connectionString, 'read-models', {
      ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
      types: exactTypes,
      // The schema first: the read models' tables resolve there; `public` after it for nothing else.
      options: `-c search_path=${this.schema}`,
    });
    this.reader = readerOn(() => this.pool);
  }

  get location(): string {
    const url = new URL(this.options.connectionString);
    return `PostgreSQL database ${url.pathname.slice(1)}, schema ${this.schema}`;
  }

  async write<T>(body: (tx: EngineTx) => Promise<T>): Promise<T> {
    const result = await inPostgresTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [this.lockKey]);
      if (this.options.scratch) await client.query('SET LOCAL synchronous_commit TO OFF');
      if (!this.schemaReady) {
        await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`);
      }
      const base = readerOn(() => client);
      const tx: EngineTx = {
        ...base,
        exec: async (sql) => void (await client.query(sql)),
        savepoint: (inner) => this.savepoint(client, inner),
      };
      return body(tx);
    });
    // Committed: the schema exists from now on.
    this.schemaReady = true;
    return result;
  }

  private async savepoint<T>(client: PoolClient, body: () => Promise<T>): Promise<T> {
    const name = `sp${++this.savepoints}`;
    await client.query(`SAVEPOINT ${name}`);
    try {
      const result = await body();
      await client.query(`RELEASE SAVEPOINT ${name}`);
      return result;
    } catch (error) {
      await client.query(`ROLLBACK TO SAVEPOINT ${name}`);
      await client.query(`RELEASE SAVEPOINT ${name}`);
      throw error;
    }
  }

  /**
   * SQLite's column words in PostgreSQL's: INTEGER is BIGINT (fen pass 2^31; SQLite's INTEGER is 64-bit),
   * TEXT compares byte by byte as in SQLite (COLLATE "C": sorting and keys agree on both engines), and
   * `WITHOUT ROWID` (a SQLite storage choice) has no counterpart.
   */
  ddl(sql: string): string {
    return sql
      .replace(/\bWITHOUT ROWID\b/gi, '')
      .replace(/\bINTEGER\b/g, 'BIGINT')
      .replace(/\bREAL\b/g, 'DOUBLE PRECISION')
      .replace(/\bTEXT\b/g, 'TEXT COLLATE "C"');
  }

  own(table: string): string {
    return `${quoteIdent(this.schema)}.${table}`;
  }

  async scratchBeside(suffix: string): Promise<ReadModelEngine> {
    const scratch = new PostgresReadModelEngine({
      ...this.options,
      schema: `${this.schema}_${suffix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}`,
      scratch: true,
    });
    await scratch.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(scratch.schema)} CASCADE`);
    return scratch;
  }

  async withAttached<T>(other: ReadModelEngine, body: (prefix: string) => Promise<T>): Promise<T> {
    if (!(other instanceof PostgresReadModelEngine)) throw new TypeError(`cannot read ${other.location} from ${this.location}`);
    // One database: the other schema is readable by name.
    return body(`${quoteIdent(other.schema)}.`);
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  async destroy(): Promise<void> {
    try {
      await this.pool.query(`DROP SCHEMA IF EXISTS ${quoteIdent(this.schema)} CASCADE`);
    } finally {
      await this.close();
    }
  }
}
