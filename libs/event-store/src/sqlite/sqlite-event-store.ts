import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AppendOptions,
  type AppendResult,
  type EventFilter,
  type EventHandler,
  EventIdConflict,
  type EventStore,
  type ExpectedVersion,
  InvalidAppend,
  type NewEvent,
  type ReadAllOptions,
  type ReadStreamOptions,
  type RecordedEvent,
  type SubscribeOptions,
  type Subscription,
  WrongExpectedVersion,
} from '../event-store.port';
import { expectedVersionMatches, normalizeExpectedVersion, originalAppendResult, validateAppend } from '../expected-version';
import { checkInteger, isoInstant } from '../read-options';
import { canonicalJson, GENESIS_HASH, hashFromCanonicalParts } from '../hash-chain';
import { PollingSubscription, type StoreLogger } from '../polling-subscription';
import { UpcasterRegistry } from '../upcasters';
import { type VerifyOptions, type VerifyReport } from '../verify';
import { migrate } from './migrations';
import { verifySqliteDatabase } from './sqlite-verify';

export interface SqliteEventStoreOptions {
  /** Directory holding `events.db` (the apps resolve CBEC_DATA_DIR; the library never reads env). */
  directory: string;
  fileName?: string;
  /** FULL (default): an acknowledged append survives power loss. NORMAL: survives a process crash only. */
  synchronous?: 'FULL' | 'NORMAL';
  /** How long to wait for another process's write lock (ms). */
  busyTimeoutMs?: number;
  /** How often idle subscriptions look for appends made by other processes (ms). */
  pollIntervalMs?: number;
  /** Rows per page for reads and subscriptions. */
  pageSize?: number;
  /**
   * Group commit: appends queued together share one transaction (one fsync). 'immediate' (default)
   * collects what arrives during one event-loop turn, so appends from different HTTP requests handled
   * in the same turn are batched; 'next-tick' only batches appends made from the same tick (promise
   * chains); 'off' writes every append on its own. Sequential appends cost the same either way.
   */
  groupCommit?: 'next-tick' | 'immediate' | 'off';
  upcasters?: UpcasterRegistry;
  /** recordedAt source (never goes backwards: max(now, last recordedAt)). */
  now?: () => Date;
  logger?: StoreLogger;
}

interface PreparedEvent {
  eventId: string;
  type: string;
  schemaVersion: number;
  data: string;
  metadata: string;
}

interface PendingAppend {
  streamId: string;
  expected: ExpectedVersion;
  events: PreparedEvent[];
  resolve: (result: AppendResult) => void;
  reject: (error: unknown) => void;
}

type Row = [
  globalPosition: number,
  streamId: string,
  version: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  recordedAt: string,
  prevHash: string,
  hash: string,
];

const COLUMNS = 'global_position, stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash';

class DuplicateEventId extends Error {}

export class SqliteEventStore implements EventStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly upcasters: UpcasterRegistry;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private readonly logger: StoreLogger;
  private readonly groupCommit: 'next-tick' | 'immediate' | 'off';
  private queue: PendingAppend[] = [];
  private lastRecordedAt = '';
  private readonly counters = { transactions: 0, appends: 0, largestBatch: 0 };
  private flushScheduled = false;
  private closed = false;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly tx: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Database.Statement>;
  private readonly stmt: {
    head: Database.Statement<[string], { version: number; hash: string }>;
    lastRecordedAt: Database.Statement<[], string>;
    insert: Database.Statement;
    byEventId: Database.Statement<[string], { stream_id: string; version: number; global_position: number }>;
    headPosition: Database.Statement<[], number>;
  };

  constructor(options: SqliteEventStoreOptions) {
    if (!options || typeof options.directory !== 'string' || options.directory.length === 0) {
      throw new TypeError('SqliteEventStore: options.directory (the data directory) is required');
    }
    const synchronous = options.synchronous ?? 'FULL';
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new TypeError(`SqliteEventStore: synchronous must be FULL or NORMAL, got ${String(synchronous)}`);
    }
    mkdirSync(options.directory, { recursive: true });
    this.file = join(options.directory, options.fileName ?? 'events.db');
    this.upcasters = options.upcasters ?? new UpcasterRegistry();
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? console;
    this.groupCommit = options.groupCommit ?? 'immediate';

    this.db = new Database(this.file, { timeout: options.busyTimeoutMs ?? 5000 });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${synchronous}`);
      migrate(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.stmt = {
      head: this.db.prepare('SELECT version, hash FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1'),
      lastRecordedAt: this.db.prepare('SELECT recorded_at FROM events ORDER BY global_position DESC LIMIT 1').pluck() as Database.Statement<[], string>,
      insert: this.db.prepare(
        'INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      byEventId: this.db.prepare('SELECT stream_id, version, global_position FROM events WHERE event_id = ?'),
      headPosition: this.db.prepare('SELECT global_position FROM events ORDER BY global_position DESC LIMIT 1').pluck() as Database.Statement<[], number>,
    };
    this.lastRecordedAt = this.stmt.lastRecordedAt.get() ?? '';
    this.tx = {
      begin: this.db.prepare('BEGIN IMMEDIATE'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
      savepoint: this.db.prepare('SAVEPOINT append'),
      release: this.db.prepare('RELEASE append'),
      rollbackTo: this.db.prepare('ROLLBACK TO append'),
    };
  }

  /** Write transactions run and appends they carried (group commit at work: appends > transactions). */
  get commitStats(): { transactions: number; appends: number; largestBatch: number } {
    return { ...this.counters };
  }

  /** The raw connection, for tools that need SQL (audit tamper tests, migrations checks). */
  get database(): Database.Database {
    return this.db;
  }

  append(streamId: string, events: NewEvent[], options: AppendOptions): Promise<AppendResult> {
    let expected: ExpectedVersion;
    let prepared: PreparedEvent[];
    try {
      if (this.closed) throw new Error('SqliteEventStore is closed');
      validateAppend(streamId, events);
      expected = normalizeExpectedVersion(options?.expectedVersion);
      prepared = new Array<PreparedEvent>(events.length);
      for (let i = 0; i < events.length; i++) prepared[i] = prepareEvent(streamId, events[i], i);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expected, events: prepared, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.groupCommit === 'off') {
      this.flush();
      return;
    }
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    if (this.groupCommit === 'immediate') setImmediate(() => this.flush());
    else process.nextTick(() => this.flush());
  }

  /** Writes every queued append in one transaction, each inside its own savepoint. */
  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    if (batch.length === 1) this.flushOne(batch[0]);
    else this.flushMany(batch);
  }

  /** One append alone: its transaction is its atomicity, no savepoint needed. */
  private flushOne(item: PendingAppend): void {
    let result: AppendResult;
    try {
      this.tx.begin.run();
      result = this.appendInTransaction(item, this.recordedAt());
      this.tx.commit.run();
      this.counters.transactions++;
      this.counters.appends++;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, 1);
    } catch (error) {
      if (this.db.inTransaction) this.tx.rollback.run();
      if (error instanceof DuplicateEventId) this.settleDuplicate(item);
      else item.reject(error);
      return;
    }
    item.resolve(result);
    this.notify();
  }

  private flushMany(batch: PendingAppend[]): void {
    const outcomes: Array<{ ok: true; result: AppendResult } | { ok: false; error: unknown }> = [];
    try {
      this.tx.begin.run();
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    let wrote = false;
    try {
      const recordedAt = this.recordedAt();
      for (const item of batch) {
        this.tx.savepoint.run();
        try {
          const result = this.appendInTransaction(item, recordedAt);
          this.tx.release.run();
          outcomes.push({ ok: true, result });
          wrote = true;
        } catch (error) {
          this.tx.rollbackTo.run();
          this.tx.release.run();
          outcomes.push({ ok: false, error });
        }
      }
      if (wrote) this.tx.commit.run();
      else this.tx.rollback.run();
      this.counters.transactions++;
      this.counters.appends += batch.length;
      this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    } catch (error) {
      if (this.db.inTransaction) this.tx.rollback.run();
      for (const item of batch) item.reject(error);
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) batch[i].resolve(outcome.result);
      else if (outcome.error instanceof DuplicateEventId) this.settleDuplicate(batch[i]);
      else batch[i].reject(outcome.error);
    }
    if (wrote) this.notify();
  }

  /**
   * Never earlier than the last recordedAt this process wrote or found on opening. (Reads "as of an
   * instant" do not depend on it: they stop at a stream's first event recorded after the instant.)
   */
  private recordedAt(): string {
    const now = this.now().toISOString();
    if (now > this.lastRecordedAt) this.lastRecordedAt = now;
    return this.lastRecordedAt;
  }

  /** Runs inside the write transaction: the version check reads the file, never a cache. */
  private appendInTransaction(item: PendingAppend, recordedAt: string): AppendResult {
    const head = this.stmt.head.get(item.streamId);
    const current = head ? head.version : -1;
    if (!expectedVersionMatches(item.expected, current)) {
      const original = this.findOriginal(item);
      if (original) return original;
      throw new WrongExpectedVersion(item.streamId, item.expected, current);
    }
    let prevHash = head ? head.hash : GENESIS_HASH;
    let version = current;
    let position = 0;
    for (const event of item.events) {
      version++;
      const hash = hashFromCanonicalParts(
        { streamId: item.streamId, version, eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, prevHash },
        event.data,
        event.metadata,
      );
      try {
        const info = this.stmt.insert.run(
          item.streamId,
          version,
          event.eventId,
          event.type,
          event.schemaVersion,
          event.data,
          event.metadata,
          recordedAt,
          prevHash,
          hash,
        );
        position = Number(info.lastInsertRowid);
      } catch (error) {
        if (isUniqueViolation(error, 'events.event_id')) throw new DuplicateEventId();
        throw error;
      }
      prevHash = hash;
    }
    return { nextExpectedVersion: version, lastGlobalPosition: position };
  }

  /** The original result of a repeated append (see originalAppendResult), read from the file. */
  private findOriginal(item: PendingAppend): AppendResult | undefined {
    return originalAppendResult(
      item.streamId,
      item.expected,
      item.events.map((event) => {
        const row = this.stmt.byEventId.get(event.eventId);
        return row && { streamId: row.stream_id, version: row.version, globalPosition: row.global_position };
      }),
    );
  }

  /** After a unique event_id violation (rolled back): the original result, or a conflict. */
  private settleDuplicate(item: PendingAppend): void {
    try {
      const original = this.findOriginal(item);
      if (original) {
        item.resolve(original);
        return;
      }
      const head = this.stmt.head.get(item.streamId);
      const stored = item.events.filter((event) => this.stmt.byEventId.get(event.eventId)).map((event) => event.eventId);
      item.reject(new EventIdConflict(item.streamId, item.expected, head ? head.version : -1, stored));
    } catch (error) {
      item.reject(error);
    }
  }

  readStream(streamId: string, options: ReadStreamOptions = {}): AsyncIterable<RecordedEvent> {
    if (typeof streamId !== 'string' || streamId.length === 0) throw new TypeError('readStream: streamId must be a non-empty string');
    const conditions = ['stream_id = ?', 'version > ?'];
    const params: unknown[] = [streamId];
    const fromVersion = options.fromVersion ?? 0;
    checkInteger('fromVersion', fromVersion);
    if (options.toVersion !== undefined) {
      checkInteger('toVersion', options.toVersion);
      conditions.push('version <= ?');
      params.push(options.toVersion);
    }
    if (options.asOf !== undefined) {
      const asOf = options.asOf;
      if (typeof asOf === 'string') {
        // The stream up to (not including) its first event recorded after the instant.
        conditions.push(
          'version < COALESCE((SELECT min(version) FROM events WHERE stream_id = ? AND recorded_at > ?), 9223372036854775807)',
        );
        params.push(streamId, isoInstant(asOf));
      } else if (asOf && typeof asOf === 'object' && Number.isSafeInteger(asOf.globalPosition)) {
        conditions.push('global_position <= ?');
        params.push(asOf.globalPosition);
      } else {
        throw new TypeError(`readStream ${streamId}: asOf must be an ISO instant or { globalPosition: integer }, got ${JSON.stringify(asOf)}`);
      }
    }
    const sql = `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY version LIMIT ?`;
    // The cursor is a version here (params[1]); rows come in version order.
    return this.paged(sql, params, fromVersion - 1, 2, options.upcast !== false);
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const { sql, params } = this.readAllQuery(options);
    return this.paged(sql, params, options.fromPosition ?? 0, 0, options.upcast !== false);
  }

  private readAllQuery(options: { toPosition?: number; filter?: EventFilter; fromPosition?: number }): { sql: string; params: unknown[] } {
    checkInteger('fromPosition', options.fromPosition ?? 0);
    const conditions = ['global_position > ?'];
    const params: unknown[] = [];
    if (options.toPosition !== undefined) {
      checkInteger('toPosition', options.toPosition);
      conditions.push('global_position <= ?');
      params.push(options.toPosition);
    }
    const filter = options.filter;
    if (filter?.eventTypes) {
      if (filter.eventTypes.length === 0) conditions.push('0');
      else {
        conditions.push(`type IN (${filter.eventTypes.map(() => '?').join(', ')})`);
        params.push(...filter.eventTypes);
      }
    }
    if (filter?.streamPrefixes) {
      if (filter.streamPrefixes.length === 0) conditions.push('0');
      else {
        conditions.push(`(${filter.streamPrefixes.map(() => 'substr(stream_id, 1, ?) = ?').join(' OR ')})`);
        for (const prefix of filter.streamPrefixes) params.push(prefix.length, prefix);
      }
    }
    return { sql: `SELECT ${COLUMNS} FROM events WHERE ${conditions.join(' AND ')} ORDER BY global_position LIMIT ?`, params };
  }

  /** One page of readAll, synchronously (subscriptions and the verify path use it). */
  readAllPage(fromPosition: number, filter: EventFilter | undefined, limit: number, upcast = true, toPosition?: number): RecordedEvent[] {
    const { sql, params } = this.readAllQuery({ filter, toPosition });
    const rows = this.statement(sql).all(fromPosition, ...params, limit) as Row[];
    return rows.map((row) => this.toEvent(row, upcast));
  }

  private paged(sql: string, params: unknown[], start: number, cursorColumn: 0 | 2, upcast: boolean): AsyncIterable<RecordedEvent> {
    const store = this;
    const statement = this.statement(sql);
    const pageSize = this.pageSize;
    // params[0] of the statement is the cursor; for readStream the stream id comes first.
    const bind = cursorColumn === 2 ? (cursor: number) => [params[0], cursor, ...params.slice(1), pageSize] : (cursor: number) => [cursor, ...params, pageSize];
    return {
      async *[Symbol.asyncIterator]() {
        let cursor = start;
        for (;;) {
          if (store.closed) throw new Error('SqliteEventStore is closed');
          const rows = statement.all(...bind(cursor)) as Row[];
          for (const row of rows) yield store.toEvent(row, upcast);
          if (rows.length < pageSize) return;
          cursor = rows[rows.length - 1][cursorColumn];
        }
      },
    };
  }

  private statement(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql).raw(true);
      this.statements.set(sql, statement);
    }
    return statement;
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
      globalPosition: row[0],
      recordedAt: row[8],
      prevHash: row[9],
      hash: row[10],
    };
    return upcast && !this.upcasters.isEmpty ? this.upcasters.upcast(event) : event;
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    if (this.closed) throw new Error('SqliteEventStore is closed');
    if (typeof handler !== 'function') throw new TypeError('subscribe: handler must be a function');
    checkInteger('fromCheckpoint', options?.fromCheckpoint ?? 0);
    const subscription = new PollingSubscription(
      {
        readPage: (after, limit) => {
          // Read the head first: everything up to it is committed, so a short page has scanned to it.
          const head = this.stmt.headPosition.get() ?? 0;
          const events = this.readAllPage(after, options.filter, limit, true, head);
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
    return this.stmt.headPosition.get() ?? 0;
  }

  /** The whole chain, straight from the table (faster than verifying through readAll). */
  verify(options: VerifyOptions = {}): Promise<VerifyReport> {
    return verifySqliteDatabase(this.db, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.db.close();
  }
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new SqliteEventStore(options);
}

function prepareEvent(streamId: string, event: NewEvent, index: number): PreparedEvent {
  try {
    return {
      eventId: event.eventId,
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      data: canonicalJson(event.data),
      metadata: canonicalJson(event.metadata),
    };
  } catch (error) {
    throw new InvalidAppend(`stream ${streamId}, event #${index} (${event.type}): ${(error as Error).message}`);
  }
}

function isUniqueViolation(error: unknown, column: string): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes(column);
}

