import { escapeLiteral, type Pool, type PoolClient } from 'pg';
import { postgresPool } from './postgres-pool';
import {
  type AppendOptions,
  type AppendResult,
  type ChainLink,
  EventIdConflict,
  type EventFilter,
  type EventHandler,
  type EventStore,
  type ExpectedVersion,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersion,
} from '../event-store.port';
import { expectedVersionMatches, normalizeExpectedVersion, originalAppendResult, type StoredPlace, validateAppend } from '../expected-version';
import { GENESIS_HASH, hashFromCanonicalParts } from '../hash-chain';
import { PollingSubscription, type StoreLogger } from '../polling-subscription';
import { prepareEvent, type PreparedEvent } from '../prepare-event';
import { checkInteger, isoInstant } from '../read-options';
import { UpcasterRegistry } from '../upcasters';
import { domainUpcasters } from '../domain-upcasters';
import { ChainVerifier, checkStoredRow, type StoredEventRow, type VerifyOptions, type VerifyReport } from '../verify';
import { migratePostgres, POSITION_LOCK_KEY } from './postgres-schema';

export interface PostgresEventStoreOptions {
  /** `postgres://user@host:port/database` (the apps pass DATABASE_URL; the library never reads env). */
  connectionString?: string;
  /** A pool the caller owns (and ends), instead of `connectionString`. */
  pool?: Pool;
  /** Connections of the store's own pool (default 4: one writes a batch while the others read). */
  poolSize?: number;
  /** How often idle subscriptions look for appends made by other processes or servers (ms). */
  pollIntervalMs?: number;
  /** Rows per page for reads and subscriptions. */
  pageSize?: number;
  /**
   * Group commit: appends queued while a batch is being written, or within one event-loop turn, share
   * the next transaction (one WAL flush). 'off' writes every append in a transaction of its own.
   */
  groupCommit?: 'immediate' | 'off';
  upcasters?: UpcasterRegistry;
  /** recordedAt source (never goes backwards: max(now, the log's last recordedAt)). */
  now?: () => Date;
  logger?: StoreLogger;
}

interface PendingAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: PreparedEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; result: AppendResult } | { ok: false; error: Error };

const COLUMNS = 'global_position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash';
/** Rows per INSERT statement (one statement per chunk keeps each statement's text moderate). */
const INSERT_ROWS = 4000;
/** Event ids and streams per lookup statement. */
const LOOKUP_IDS = 10_000;
const LOOKUP_STREAMS = 500;
/** Stream heads remembered for the one-round-trip path (the oldest forgotten first). */
const KNOWN_HEADS = 50_000;
/** At most this many events go into one group-commit transaction (a single larger append still goes whole). */
const BATCH_EVENTS = 4000;

type Row = [string, string, number, string, string, number, string, string, string, string, string];

/**
 * The event log on PostgreSQL: the same port, contract and hash chain as the SQLite store, for several
 * servers on several machines sharing one database.
 *
 * Global positions are gapless and in commit order: every write transaction first takes one
 * transaction-level advisory lock (`pg_advisory_xact_lock`), then reads the last position and numbers its
 * events after it. The lock is released only after the commit is visible, so no transaction can number
 * events while an earlier-numbered one is uncommitted: what any reader sees is always a prefix of the log,
 * and a subscriber reading "after my checkpoint" can never pass over an event that commits late (the
 * failure of sequence-numbered stores). Stream versions and the expected-version checks are read inside
 * the same transaction, under the same lock.
 *
 * Group commit: one batch is written at a time per store; the appends that arrive meanwhile form the next
 * batch and share its transaction and WAL flush. Each append of a batch is checked against its own
 * expected version (and against the appends before it in the batch); one append's refusal does not undo
 * the others. Idempotent by event id: a repeated append is answered with its original result.
 */
export class PostgresEventStore implements EventStore {
  /** The database it was opened on (undefined when given a pool): the other stores of the app go there too. */
  readonly connectionString: string | undefined;
  private readonly pool: Pool;
  private readonly ownsPool: boolean;
  private readonly upcasters: UpcasterRegistry;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private readonly logger: StoreLogger;
  private readonly groupCommit: 'immediate' | 'off';
  private readonly ready: Promise<void>;
  private queue: PendingAppend[] = [];
  private writing: Promise<void> | undefined;
  private flushScheduled = false;
  private closed = false;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly counters = { transactions: 0, appends: 0, largestBatch: 0, fastPath: 0 };
  /**
   * The last version and hash of streams as this store last saw them (its own appends, whole reads): a guess
   * that lets an append go in one round trip, checked by the database inside the transaction (see writeFast).
   */
  private readonly knownHeads = new Map<string, { version: number; hash: string }>();

  constructor(options: PostgresEventStoreOptions) {
    if (!options || (!options.pool && (typeof options.connectionString !== 'string' || options.connectionString.length === 0))) {
      throw new TypeError('PostgresEventStore: options.connectionString (postgres://…) or options.pool is required');
    }
    this.ownsPool = !options.pool;
    this.connectionString = options.pool ? undefined : options.connectionString;
    this.logger = options.logger ?? console;
    // A connection that breaks while idle in the pool must not crash the process: the next query reconnects.
    this.pool =
      options.pool ??
      postgresPool(options.connectionString as string /* checked above */, 'events', {
        ...(options.poolSize === undefined ? {} : { max: options.poolSize }),
        onIdleError: (error) => this.logger.warn?.(`event store: an idle PostgreSQL connection failed: ${error.message}`),
      });
    this.upcasters = options.upcasters ?? domainUpcasters();
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.now = options.now ?? (() => new Date());
    this.groupCommit = options.groupCommit ?? 'immediate';
    this.ready = this.withClient((client) => migratePostgres(client)).then(() => undefined);
    // Every operation awaits `ready` and reports its failure; this handler only keeps an unused store's
    // failed start from being an unhandled rejection.
    this.ready.catch(() => undefined);
  }

  /** Opens a store and waits for its schema (a bad URL or an unreachable server fails here). */
  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const store = new PostgresEventStore(options);
    try {
      await store.ready;
    } catch (error) {
      await store.close().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /** Write transactions run and appends they carried (group commit at work: appends > transactions). */
  get commitStats(): { transactions: number; appends: number; largestBatch: number; fastPath: number } {
    return { ...this.counters };
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    let expected: ExpectedVersion;
    let prepared: PreparedEvent[];
    try {
      if (this.closed) throw new Error('PostgresEventStore is closed');
      validateAppend(streamId, events);
      expected = normalizeExpectedVersion(options?.expectedVersion);
      prepared = events.map((event, i) => prepareEvent(streamId, event, i));
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expected, events: prepared, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.writing) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flush();
    });
  }

  /** Takes the next batch off the queue and writes it; what queues meanwhile is the batch after. */
  private flush(): void {
    if (this.writing || this.queue.length === 0) return;
    const batch = this.takeBatch();
    this.writing = this.writeBatch(batch).finally(() => {
      this.writing = undefined;
      if (this.queue.length > 0) this.flush();
    });
  }

  private takeBatch(): PendingAppend[] {
    if (this.groupCommit === 'off') return this.queue.splice(0, 1);
    let events = 0;
    let count = 0;
    while (count < this.queue.length && (count === 0 || events + this.queue[count].events.length <= BATCH_EVENTS)) {
      events += this.queue[count].events.length;
      count++;
    }
    return this.queue.splice(0, count);
  }

  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    let outcomes: Outcome[];
    try {
      await this.ready;
      outcomes = await this.withClient(async (client) => {
        const fast = await this.writeFast(client, batch);
        if (!fast) return this.writeInTransaction(client, batch);
        const rest = batch.filter((_, i) => !fast[i]);
        if (rest.length === 0) return fast as Outcome[];
        // Appends whose guess of the head was wrong: the careful path decides them (conflict, repeat, or a write).
        const decided = await this.writeInTransaction(client, rest);
        return fast.map((outcome) => outcome ?? decided.shift()!);
      });
    } catch (error) {
      if (batch.length === 1 || isConnectionError(error)) {
        for (const item of batch) item.reject(this.uncertain(error));
        return;
      }
      // Something no check foresaw (a constraint written behind the store's back): each append on its own,
      // so only the append that causes it fails.
      outcomes = [];
      for (const item of batch) {
        try {
          outcomes.push(...(await this.withClient((client) => this.writeInTransaction(client, [item]))));
        } catch (single) {
          outcomes.push({ ok: false, error: this.uncertain(single) });
        }
      }
    }
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    let wrote = false;
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) {
        wrote = true;
        batch[i].resolve(outcome.result);
      } else batch[i].reject(outcome.error);
    }
    if (wrote) this.notify();
  }

  /** A failure during the commit may have committed: say so (a retry with the same event ids is answered from the log). */
  private uncertain(error: unknown): Error {
    if (!isConnectionError(error)) return error as Error;
    const wrapped = new Error(`the connection to PostgreSQL failed during the append (${(error as Error).message}); the append may or may not be stored`);
    (wrapped as Error & { cause?: unknown }).cause = error;
    return wrapped;
  }

  /**
   * The one-round-trip path, for a batch whose every append comes with a guess of its stream's head: none
   * for `no-stream`, else the head this store last saw (`knownHeads`), if it satisfies the expected version.
   * Each append is one `INSERT … SELECT … WHERE <the stream's last hash is the guessed one>` that numbers its
   * rows after the last position (read by the statement itself, under the lock), then COMMIT, all in one
   * simple query. An append whose guess was wrong inserts nothing and is answered `undefined`, for the careful
   * path; a repeated event id aborts the transaction (nothing committed) and the whole batch goes the careful
   * way. Returns null when some append has no guess, or the batch has more than INSERT_ROWS events.
   */
  private async writeFast(client: PoolClient, batch: PendingAppend[]): Promise<(Outcome | undefined)[] | null> {
    // A large append (a customs year) goes the careful way, whose INSERTs are chunked.
    if (batch.reduce((sum, item) => sum + item.events.length, 0) > INSERT_ROWS) return null;
    const guessed = new Map<string, { version: number; hash: string }>();
    const plans: { item: PendingAppend; guard: string; values: string[]; version: number; hash: string }[] = [];
    for (const item of batch) {
      const head = guessed.get(item.streamId) ?? (item.expected === 'no-stream' ? { version: -1, hash: GENESIS_HASH } : this.knownHeads.get(item.streamId));
      if (!head || !expectedVersionMatches(item.expected, head.version)) return null;
      const stream = literal(item.streamId);
      const guard =
        head.version === -1
          ? `NOT EXISTS (SELECT 1 FROM events WHERE stream_id = ${stream})`
          : `(SELECT hash FROM events WHERE stream_id = ${stream} ORDER BY version DESC LIMIT 1) = '${head.hash}'`;
      let { version, hash: prevHash } = head;
      const values: string[] = [];
      item.events.forEach((event, i) => {
        version++;
        const hash = hashFromCanonicalParts(
          { streamId: item.streamId, version, eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, prevHash },
          event.data,
          event.metadata,
        );
        values.push(
          `(${i + 1}, ${version}, ${literal(event.eventId)}, ${literal(event.type)}, ${event.schemaVersion}, ${literal(event.data)}, ${literal(event.metadata)}, '${prevHash}', '${hash}')`,
        );
        prevHash = hash;
      });
      guessed.set(item.streamId, { version, hash: prevHash });
      plans.push({ item, guard, values, version, hash: prevHash });
    }
    const now = literal(this.now().toISOString());
    // The last position and recordedAt, read by each INSERT after the lock (and after the batch's earlier
    // INSERTs): recordedAt never goes backwards.
    const last = `(SELECT COALESCE((SELECT global_position FROM events ORDER BY global_position DESC LIMIT 1), 0) AS position,
      COALESCE((SELECT recorded_at FROM events ORDER BY global_position DESC LIMIT 1), '') AS at) AS l`;
    const inserts = plans.map(
      (plan) =>
        `INSERT INTO events (${COLUMNS})
         SELECT l.position + v.n, ${literal(plan.item.streamId)}, v.version, v.event_id, v.type, v.schema_version, v.data, v.metadata,
                CASE WHEN l.at > ${now} THEN l.at ELSE ${now} END, v.prev_hash, v.hash
         FROM ${last}, (VALUES ${plan.values.join(', ')}) AS v (n, version, event_id, type, schema_version, data, metadata, prev_hash, hash)
         WHERE ${plan.guard}
         RETURNING global_position`,
    );
    let results: { rows: [string][] }[];
    try {
      results = (await client.query({
        text: ['BEGIN', `SELECT pg_advisory_xact_lock(${POSITION_LOCK_KEY})`, ...inserts, 'COMMIT'].join(';\n'),
        rowMode: 'array',
      })) as unknown as { rows: [string][] }[];
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (isConnectionError(error)) throw error;
      // A repeated event id (or anything else): nothing was committed; the careful path decides.
      return batch.map(() => undefined);
    }
    this.counters.transactions++;
    return plans.map((plan, i) => {
      const rows = results[i + 2].rows;
      if (rows.length === 0) {
        this.knownHeads.delete(plan.item.streamId);
        return undefined;
      }
      this.counters.appends++;
      this.counters.fastPath++;
      this.rememberHead(plan.item.streamId, plan.version, plan.hash);
      const lastGlobalPosition = Math.max(...rows.map((row) => Number(row[0])));
      return { ok: true, result: { nextExpectedVersion: plan.version, lastGlobalPosition } } as Outcome;
    });
  }

  private rememberHead(streamId: string, version: number, hash: string): void {
    this.knownHeads.delete(streamId);
    this.knownHeads.set(streamId, { version, hash });
    if (this.knownHeads.size > KNOWN_HEADS) this.knownHeads.delete(this.knownHeads.keys().next().value!);
  }

  /**
   * One transaction for the batch in two round trips: (1) BEGIN, the position lock, the last position, the
   * heads of the batch's streams and the places of its event ids; (2) every accepted append's rows and the
   * COMMIT. Values travel as SQL literals escaped by the driver (`escapeLiteral`), so each round trip is one
   * simple query of several statements: the fsync of the commit is the cost, not the chatter.
   */
  private async writeInTransaction(client: PoolClient, batch: PendingAppend[]): Promise<Outcome[]> {
    const streamIds = [...new Set(batch.map((item) => item.streamId))];
    const eventIds = batch.flatMap((item) => item.events.map((event) => event.eventId));
    const lookups = eventIds.length <= LOOKUP_IDS && streamIds.length <= LOOKUP_STREAMS;
    try {
      // Each statement of a READ COMMITTED transaction sees what was committed when it started: the reads
      // start after the lock is granted, so they see the previous holder's commit.
      const opened = (await client.query({
        text: [
          'BEGIN',
          `SELECT pg_advisory_xact_lock(${POSITION_LOCK_KEY})`,
          'SELECT global_position, recorded_at FROM events ORDER BY global_position DESC LIMIT 1',
          ...(lookups ? [headsSql(streamIds, literal), placesSql(eventIds, literal)] : []),
        ].join(';\n'),
        rowMode: 'array',
      })) as unknown as { rows: unknown[][] }[];
      const last = opened[2].rows as [string, string][];
      let position = last.length ? Number(last[0][0]) : 0;
      const lastRecordedAt = last.length ? last[0][1] : '';
      const now = this.now().toISOString();
      const recordedAt = now > lastRecordedAt ? now : lastRecordedAt;
      const heads = lookups ? headsFrom(opened[3].rows as [string, number, string][]) : await readHeads(client, streamIds);
      const places = lookups ? placesFrom(opened[4].rows as [string, string, number, string][]) : await readPlaces(client, eventIds);

      const outcomes: Outcome[] = [];
      const rows: string[] = [];
      this.counters.transactions++;
      for (const item of batch) {
        this.counters.appends++;
        const head = heads.get(item.streamId) ?? { version: -1, hash: GENESIS_HASH };
        const itemPlaces = item.events.map((event) => places.get(event.eventId));
        if (!expectedVersionMatches(item.expected, head.version)) {
          const original = originalAppendResult(item.streamId, item.expected, itemPlaces);
          outcomes.push(original ? { ok: true, result: original } : { ok: false, error: new WrongExpectedVersion(item.streamId, item.expected, head.version) });
          continue;
        }
        if (itemPlaces.some(Boolean)) {
          // Some of these events are stored already (or earlier in this batch): the same append repeated, or a conflict.
          const original = originalAppendResult(item.streamId, item.expected, itemPlaces);
          const stored = item.events.filter((_, i) => itemPlaces[i]).map((event) => event.eventId);
          outcomes.push(
            original ? { ok: true, result: original } : { ok: false, error: new EventIdConflict(item.streamId, item.expected, head.version, stored) },
          );
          continue;
        }
        let { version, hash: prevHash } = head;
        const stream = literal(item.streamId);
        const at = literal(recordedAt);
        for (const event of item.events) {
          version++;
          position++;
          const hash = hashFromCanonicalParts(
            { streamId: item.streamId, version, eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, prevHash },
            event.data,
            event.metadata,
          );
          rows.push(
            `(${position}, ${stream}, ${version}, ${literal(event.eventId)}, ${literal(event.type)}, ${event.schemaVersion}, ${literal(event.data)}, ${literal(event.metadata)}, ${at}, '${prevHash}', '${hash}')`,
          );
          places.set(event.eventId, { streamId: item.streamId, version, globalPosition: position });
          prevHash = hash;
        }
        heads.set(item.streamId, { version, hash: prevHash });
        outcomes.push({ ok: true, result: { nextExpectedVersion: version, lastGlobalPosition: position } });
      }
      const statements: string[] = [];
      for (let start = 0; start < rows.length; start += INSERT_ROWS) {
        statements.push(`INSERT INTO events (${COLUMNS}) VALUES ${rows.slice(start, start + INSERT_ROWS).join(',\n')}`);
      }
      statements.push(rows.length ? 'COMMIT' : 'ROLLBACK');
      await client.query(statements.join(';\n'));
      for (const [streamId, head] of heads) this.rememberHead(streamId, head.version, head.hash);
      return outcomes;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('readStream: streamId must be a non-empty string');
    const fromVersion = options.fromVersion ?? 0;
    checkInteger('fromVersion', fromVersion);
    const conditions = ['stream_id = $1', 'version > $2'];
    const params: unknown[] = [streamId];
    if (options.toVersion !== undefined) {
      checkInteger('toVersion', options.toVersion);
      params.push(options.toVersion);
      conditions.push(`version <= $${params.length + 1}`);
    }
    if (options.asOf !== undefined) {
      const asOf = options.asOf;
      if (typeof asOf === 'string') {
        // The stream up to (not including) its first event recorded after the instant.
        params.push(isoInstant(asOf));
        conditions.push(`version < COALESCE((SELECT min(version) FROM events WHERE stream_id = $1 AND recorded_at > $${params.length + 1}), 2147483647)`);
      } else if (asOf && typeof asOf === 'object' && Number.isSafeInteger(asOf.globalPosition)) {
        params.push(asOf.globalPosition);
        conditions.push(`global_position <= $${params.length + 1}`);
      } else {
        throw new TypeError(`readStream ${streamId}: asOf must be an ISO instant or { globalPosition: integer }, got ${JSON.stringify(asOf)}`);
      }
    }
    const sql = `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY version LIMIT $${params.length + 2}`;
    const upcast = options.upcast !== false;
    // A read to the end tells the stream's head as it was: a guess for the next append (see writeFast).
    const whole = options.toVersion === undefined && options.asOf === undefined;
    const remember = whole ? (last: Row | undefined) => last && this.rememberHead(streamId, last[2], last[10]) : undefined;
    // The cursor is the second parameter (a version); rows come in version order.
    return this.paged(
      sql,
      (cursor, limit) => [params[0], cursor, ...params.slice(1), limit],
      fromVersion - 1,
      (row: Row) => row[2],
      (row) => this.toEvent(row, upcast),
      remember,
    );
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const { sql, params } = this.readAllQuery(options);
    const upcast = options.upcast !== false;
    return this.paged(
      sql,
      (cursor, limit) => [cursor, ...params, limit],
      options.fromPosition ?? 0,
      (row: Row) => Number(row[0]),
      (row) => this.toEvent(row, upcast),
    );
  }

  readChainLinks(options: { fromPosition?: number } = {}): AsyncIterable<ChainLink> {
    const from = options.fromPosition ?? 0;
    checkInteger('fromPosition', from);
    const sql = 'SELECT global_position, stream_id, version, hash FROM events WHERE global_position > $1 ORDER BY global_position LIMIT $2';
    return this.paged(
      sql,
      (cursor, limit) => [cursor, limit],
      from,
      (row: [string, string, number, string]) => Number(row[0]),
      ([globalPosition, streamId, version, hash]) => ({ globalPosition: Number(globalPosition), streamId, version, hash }),
    );
  }

  /** Conditions after `global_position > $1`; the page size is the last parameter. */
  private readAllQuery(options: { toPosition?: number; filter?: EventFilter; fromPosition?: number }): { sql: string; params: unknown[] } {
    checkInteger('fromPosition', options.fromPosition ?? 0);
    const conditions = ['global_position > $1'];
    const params: unknown[] = [];
    const next = (value: unknown) => {
      params.push(value);
      return `$${params.length + 1}`;
    };
    if (options.toPosition !== undefined) {
      checkInteger('toPosition', options.toPosition);
      conditions.push(`global_position <= ${next(options.toPosition)}`);
    }
    const filter = options.filter;
    if (filter?.eventTypes) {
      if (filter.eventTypes.length === 0) conditions.push('1 = 0');
      else conditions.push(`type IN (${filter.eventTypes.map((type) => next(type)).join(', ')})`);
    }
    if (filter?.streamPrefixes) {
      if (filter.streamPrefixes.length === 0) conditions.push('1 = 0');
      else conditions.push(`(${filter.streamPrefixes.map((prefix) => `substr(stream_id, 1, ${next(prefix.length)}) = ${next(prefix)}`).join(' OR ')})`);
    }
    return { sql: `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY global_position LIMIT $${params.length + 2}`, params };
  }

  /** One page of readAll after `fromPosition`, up to `toPosition` (subscriptions read up to the head they saw). */
  async readAllPage(fromPosition: number, filter: EventFilter | undefined, limit: number, upcast = true, toPosition?: number): Promise<RecordedEvent[]> {
    const { sql, params } = this.readAllQuery({ filter, toPosition });
    const rows = await this.query<Row>(sql, [fromPosition, ...params, limit]);
    return rows.map((row) => this.toEvent(row, upcast));
  }

  private paged<R extends unknown[], T>(
    sql: string,
    bind: (cursor: number, limit: number) => unknown[],
    start: number,
    cursorOf: (row: R) => number,
    toItem: (row: R) => T,
    /** Called with the last row once the read has reached the end. */
    atEnd?: (last: R | undefined) => void,
  ): AsyncIterable<T> {
    const store = this;
    const pageSize = this.pageSize;
    return {
      async *[Symbol.asyncIterator]() {
        let cursor = start;
        let last: R | undefined;
        for (;;) {
          if (store.closed) throw new Error('PostgresEventStore is closed');
          const rows = await store.query<R>(sql, bind(cursor, pageSize));
          for (const row of rows) yield toItem(row);
          if (rows.length > 0) last = rows[rows.length - 1];
          if (rows.length < pageSize) {
            atEnd?.(last);
            return;
          }
          cursor = cursorOf(rows[rows.length - 1]);
        }
      },
    };
  }

  private async query<R extends unknown[]>(text: string, values: unknown[]): Promise<R[]> {
    await this.ready;
    const result = await this.pool.query<R>({ text, values, rowMode: 'array' });
    return result.rows;
  }

  private async withClient<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      // A connection that failed is not given back to the pool for the next batch.
      if (isConnectionError(error)) broken = error as Error;
      throw error;
    } finally {
      client.release(broken);
    }
  }

  private toEvent(row: Row, upcast: boolean): RecordedEvent {
    const event: RecordedEvent = {
      eventId: row[3],
      type: row[4],
      schemaVersion: row[5],
      data: JSON.parse(row[6]),
      metadata: JSON.parse(row[7]),
      streamId: row[1],
      version: row[2],
      globalPosition: Number(row[0]),
      recordedAt: row[8],
      prevHash: row[9],
      hash: row[10],
    };
    return upcast && !this.upcasters.isEmpty ? this.upcasters.upcast(event) : event;
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    if (this.closed) throw new Error('PostgresEventStore is closed');
    if (typeof handler !== 'function') throw new TypeError('subscribe: handler must be a function');
    checkInteger('fromCheckpoint', options?.fromCheckpoint ?? 0);
    const subscription = new PollingSubscription(
      {
        readPage: async (after, limit) => {
          // The head first: everything up to it is committed (positions are a prefix), so a short page has
          // scanned up to it.
          const head = await this.headPosition();
          const events = await this.readAllPage(after, options.filter, limit, true, head);
          return { events, scannedTo: events.length < limit ? Math.max(after, head) : events[events.length - 1].globalPosition };
        },
        pageSize: this.pageSize,
        pollIntervalMs: this.pollIntervalMs,
        logger: this.logger,
        name: options.name ?? 'subscription',
      },
      options.fromCheckpoint ?? 0,
      handler,
    );
    this.subscriptions.add(subscription);
    void subscription.done.then(() => this.subscriptions.delete(subscription));
    return subscription;
  }

  private notify(): void {
    for (const subscription of this.subscriptions) subscription.wake();
  }

  async headPosition(): Promise<number> {
    const rows = await this.query<[string]>('SELECT global_position FROM events ORDER BY global_position DESC LIMIT 1', []);
    return rows.length ? Number(rows[0][0]) : 0;
  }

  /** The whole chain straight from the table, re-hashing the stored text byte for byte (see checkStoredRow). */
  async verify(options: VerifyOptions = {}, pageSize = 5000): Promise<VerifyReport> {
    const verifier = new ChainVerifier(options.maxIssues);
    const prefixes = options.streamPrefixes;
    const prefixSql = prefixes?.length ? ` AND (${prefixes.map((_, i) => `substr(stream_id, 1, $${3 + 2 * i}) = $${4 + 2 * i}`).join(' OR ')})` : '';
    const prefixParams = prefixes?.flatMap((p) => [p.length, p]) ?? [];
    const sql = `SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, prev_hash, hash
                 FROM events WHERE global_position > $1${prefixSql} ORDER BY global_position LIMIT $2`;
    let cursor = 0;
    for (;;) {
      const rows = await this.query<StoredEventRow>(sql, [cursor, pageSize, ...prefixParams]);
      for (const row of rows) {
        row[0] = Number(row[0]);
        checkStoredRow(verifier, row);
      }
      if (rows.length < pageSize) break;
      cursor = rows[rows.length - 1][0];
    }
    return verifier.result();
  }

  /** Writes what is queued or in flight (it was accepted), then stops subscriptions and ends the pool it owns. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing || this.queue.length > 0) {
      if (!this.writing) this.flush();
      await this.writing;
    }
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    if (this.ownsPool) await this.pool.end();
  }
}

export function openPostgresEventStore(options: PostgresEventStoreOptions): PostgresEventStore {
  return new PostgresEventStore(options);
}

/** A string as an SQL literal (the driver's escaping: quotes doubled, backslashes in an E'' literal). */
function literal(value: string): string {
  return escapeLiteral(value);
}

/** The last version and hash of each stream (absent: no stream), one index probe per stream. */
function headsSql(streamIds: string[], value: (v: string) => string): string {
  return streamIds
    .map((id) => `(SELECT stream_id, version, hash FROM events WHERE stream_id = ${value(id)} ORDER BY version DESC LIMIT 1)`)
    .join(' UNION ALL ');
}

function headsFrom(rows: [string, number, string][]): Map<string, { version: number; hash: string }> {
  return new Map(rows.map(([streamId, version, hash]) => [streamId, { version, hash }]));
}

/** Where each of these event ids is stored, for those that are. */
function placesSql(eventIds: string[], value: (v: string) => string): string {
  return `SELECT event_id, stream_id, version, global_position FROM events WHERE event_id IN (${eventIds.map(value).join(', ')})`;
}

function placesFrom(rows: [string, string, number, string][]): Map<string, StoredPlace> {
  return new Map(rows.map(([eventId, streamId, version, globalPosition]) => [eventId, { streamId, version, globalPosition: Number(globalPosition) }]));
}

/** The lookups of a batch too large for one statement, in chunks. */
async function readHeads(client: PoolClient, streamIds: string[]): Promise<Map<string, { version: number; hash: string }>> {
  const heads = new Map<string, { version: number; hash: string }>();
  for (let start = 0; start < streamIds.length; start += LOOKUP_STREAMS) {
    const result = await client.query<[string, number, string]>({ text: headsSql(streamIds.slice(start, start + LOOKUP_STREAMS), literal), rowMode: 'array' });
    for (const [id, head] of headsFrom(result.rows)) heads.set(id, head);
  }
  return heads;
}

async function readPlaces(client: PoolClient, eventIds: string[]): Promise<Map<string, StoredPlace>> {
  const places = new Map<string, StoredPlace>();
  for (let start = 0; start < eventIds.length; start += LOOKUP_IDS) {
    const result = await client.query<[string, string, number, string]>({
      text: placesSql(eventIds.slice(start, start + LOOKUP_IDS), literal),
      rowMode: 'array',
    });
    for (const [id, place] of placesFrom(result.rows)) places.set(id, place);
  }
  return places;
}

/** Errors of the connection rather than of the statement (SQLSTATE class 08, or a socket that closed). */
function isConnectionError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (typeof e?.code === 'string' && (e.code.startsWith('08') || e.code === '57P01' || ['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT'].includes(e.code)))
    return true;
  return typeof e?.message === 'string' && /Connection terminated|connection.*closed|Client has encountered a connection error/i.test(e.message);
}
