import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { BroadcastChannel, Worker } from 'node:worker_threads';
import {
  type AppendOptions,
  type AppendResult,
  type ChainLink,
  type EventFilter,
  type EventHandler,
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
import { expectedVersionMatches, normalizeExpectedVersion, validateAppend } from '../expected-version';
import { checkInteger, isoInstant } from '../read-options';
import { GENESIS_HASH, hashFromCanonicalParts } from '../hash-chain';
import { PollingSubscription, type StoreLogger } from '../polling-subscription';
import { UpcasterRegistry } from '../upcasters';
import { domainUpcasters } from '../domain-upcasters';
import { type VerifyOptions, type VerifyReport } from '../verify';
import { migrate } from './migrations';
import { verifySqliteDatabase } from './sqlite-verify';
import { workerScript } from '../worker-script';
import { prepareEvent, type PreparedEvent } from '../prepare-event';
import { SqliteWriter, type WriteBatchResult, writeFailureToError, type WriteRequest } from './sqlite-writer';
import { CommitAnnouncer } from './commit-announcer';
import type { WriterThreadData, WriterThreadMessage } from './sqlite-writer.worker';

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
  /**
   * 'inline' (default): batches are written on the caller's thread. 'thread': a worker thread writes them
   * on its own connection, so the commit's fsync does not stall the caller's event loop (a server keeps
   * parsing requests meanwhile, and those requests form the next batch). Same durability either way.
   */
  writer?: 'inline' | 'thread';
  /**
   * Least time between two announcements of commits to the other threads' stores on this file (ms,
   * default 50): the first commit after a quiet spell is announced at once, a busy spell's commits once
   * per interval (each announcement wakes every listening thread). Subscriptions in the appending
   * store's own thread are woken at every commit regardless.
   */
  announceIntervalMs?: number;
  upcasters?: UpcasterRegistry;
  /** recordedAt source (never goes backwards: max(now, last recordedAt)). */
  now?: () => Date;
  logger?: StoreLogger;
}

interface PendingAppend extends WriteRequest {
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

/** Writes batches: inline on the store's connection, or in the writer thread. */
interface BatchWriter {
  write(batch: WriteRequest[], now: string): WriteBatchResult | Promise<WriteBatchResult>;
  close(): Promise<void>;
}

export class SqliteEventStore implements EventStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly upcasters: UpcasterRegistry;
  private readonly pageSize: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => Date;
  private readonly logger: StoreLogger;
  private readonly groupCommit: 'next-tick' | 'immediate' | 'off';
  private readonly writer: BatchWriter;
  /** The writer on this store's own connection (`writer: 'inline'`), which appendChunked stages beside. */
  private readonly inlineWriter: SqliteWriter | null = null;
  /** The appendChunked calls in flight, one after the other. */
  private chunkedAppends: Promise<unknown> = Promise.resolve();
  /** Appends made by other stores on this file in this process (other threads) wake our subscriptions. */
  private readonly appended: BroadcastChannel;
  /** With the inline writer, this store announces its commits to the other threads (see CommitAnnouncer). */
  private readonly announcer: CommitAnnouncer;
  private queue: PendingAppend[] = [];
  /** The batch the writer thread is writing; the next batch collects meanwhile. */
  private writing: Promise<void> | undefined;
  private readonly counters = { transactions: 0, appends: 0, largestBatch: 0 };
  private flushScheduled = false;
  private closed = false;
  private readonly subscriptions = new Set<PollingSubscription>();
  private readonly statements = new Map<string, Database.Statement>();
  private readonly stmt: { headPosition: Database.Statement<[], number> };

  constructor(options: SqliteEventStoreOptions) {
    if (!options || typeof options.directory !== 'string' || options.directory.length === 0) {
      throw new TypeError('SqliteEventStore: options.directory (the data directory) is required');
    }
    const synchronous = options.synchronous ?? 'FULL';
    if (synchronous !== 'FULL' && synchronous !== 'NORMAL') {
      throw new TypeError(`SqliteEventStore: synchronous must be FULL or NORMAL, got ${String(synchronous)}`);
    }
    const writer = options.writer ?? 'inline';
    if (writer !== 'inline' && writer !== 'thread') {
      throw new TypeError(`SqliteEventStore: writer must be 'inline' or 'thread', got ${String(writer)}`);
    }
    mkdirSync(options.directory, { recursive: true });
    this.file = resolve(options.directory, options.fileName ?? 'events.db');
    this.upcasters = options.upcasters ?? domainUpcasters();
    this.pageSize = options.pageSize ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 100;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger ?? console;
    this.groupCommit = options.groupCommit ?? 'immediate';
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    const announceIntervalMs = options.announceIntervalMs ?? DEFAULT_ANNOUNCE_INTERVAL_MS;
    if (!Number.isFinite(announceIntervalMs) || announceIntervalMs < 0) {
      throw new TypeError(`SqliteEventStore: announceIntervalMs must be a number >= 0, got ${String(options.announceIntervalMs)}`);
    }

    this.db = new Database(this.file, { timeout: busyTimeoutMs });
    try {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(`synchronous = ${synchronous}`);
      // Each append's savepoint journals the pages it changes: in memory (never needed after a crash).
      this.db.pragma('temp_store = MEMORY');
      migrate(this.db);
      this.stmt = {
        headPosition: this.db.prepare('SELECT global_position FROM events ORDER BY global_position DESC LIMIT 1').pluck() as Database.Statement<[], number>,
      };
      if (writer === 'inline') this.inlineWriter = new SqliteWriter(this.db);
      this.writer = this.inlineWriter
        ? inlineWriter(this.inlineWriter)
        : new WriterThread({ file: this.file, synchronous, busyTimeoutMs, appendedChannel: appendedChannelName(this.file), announceIntervalMs });
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.appended = new BroadcastChannel(appendedChannelName(this.file));
    this.appended.onmessage = () => this.notify();
    this.appended.unref();
    this.announcer = new CommitAnnouncer(this.appended, announceIntervalMs);
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

  /**
   * One append too large to hold at once (a customs import of hundreds of thousands of rows), all or
   * nothing like `append`: the events come in chunks, each chunk's canonical JSON and hashes computed as
   * it comes and staged in a temporary table of this connection (a file of its own: no lock on the log,
   * no memory per event), then one write transaction copies them all into the log, holding the write lock
   * only for that copy (SqliteWriter.copyStaged). A chunk that throws, a conflict or a crash leaves nothing
   * in the log. The stream must not change meanwhile: if it did, WrongExpectedVersion (decide again).
   * With the writer thread, the chunks are gathered and appended as one `append`.
   */
  appendChunked(streamId: string, chunks: Iterable<NewEvent[]> | AsyncIterable<NewEvent[]>, options: AppendOptions): Promise<AppendResult> {
    // One at a time: the connection has one staging table.
    const run = this.chunkedAppends.then(() => this.appendChunkedNow(streamId, chunks, options));
    this.chunkedAppends = run.catch(() => undefined);
    return run;
  }

  private async appendChunkedNow(streamId: string, chunks: Iterable<NewEvent[]> | AsyncIterable<NewEvent[]>, options: AppendOptions): Promise<AppendResult> {
    const writer = this.inlineWriter;
    if (!writer) {
      const all: NewEvent[] = [];
      for await (const chunk of chunks) for (const event of chunk) all.push(event);
      return this.append(streamId, all, options);
    }
    if (this.closed) throw new Error('SqliteEventStore is closed');
    const expected = normalizeExpectedVersion(options?.expectedVersion);
    const read = this.db.prepare('SELECT version, hash FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1').get(streamId) as
      { version: number; hash: string } | undefined;
    const head = { version: read ? read.version : -1, hash: read ? read.hash : GENESIS_HASH };
    if (!expectedVersionMatches(expected, head.version)) throw new WrongExpectedVersion(streamId, expected, head.version);
    // Staged in a temporary file (the connection's temp_store is MEMORY for savepoints): the staged events
    // would otherwise take as much memory as they take on disk. Setting temp_store drops temporary tables.
    this.db.pragma('temp_store = FILE');
    try {
      this.db.exec(
        'CREATE TEMP TABLE staged_events (version INTEGER PRIMARY KEY, event_id TEXT NOT NULL, type TEXT NOT NULL, schema_version INTEGER NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)',
      );
      const stage = this.db.prepare('INSERT INTO temp.staged_events VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      const stageChunk = this.db.transaction((events: PreparedEvent[], first: number, prevHash: string): string => {
        let version = first;
        for (const event of events) {
          const hash = hashFromCanonicalParts(
            { streamId, version, eventId: event.eventId, type: event.type, schemaVersion: event.schemaVersion, prevHash },
            event.data,
            event.metadata,
          );
          stage.run(version, event.eventId, event.type, event.schemaVersion, event.data, event.metadata, prevHash, hash);
          prevHash = hash;
          version++;
        }
        return prevHash;
      });
      let count = 0;
      let prevHash = head.hash;
      // Every event of a chunk usually shares one metadata object: canonical once.
      let lastMetadata: unknown;
      let lastMetadataJson = '';
      for await (const chunk of chunks) {
        if (chunk.length === 0) continue;
        validateAppend(streamId, chunk);
        const prepared = chunk.map((event, i): PreparedEvent => {
          if (event.metadata !== lastMetadata) {
            lastMetadata = event.metadata;
            lastMetadataJson = prepareEvent(streamId, { ...event, data: null }, count + i).metadata;
          }
          return { ...prepareEvent(streamId, { ...event, metadata: lastMetadata as NewEvent['metadata'] }, count + i, false), metadata: lastMetadataJson };
        });
        prevHash = stageChunk(prepared, head.version + 1 + count, prevHash);
        count += chunk.length;
        if (this.closed) throw new Error('SqliteEventStore is closed');
      }
      if (count === 0) throw new InvalidAppend(`stream ${streamId}: append needs a non-empty array of events`);
      const result = writer.copyStaged(streamId, expected, head, count, this.now().toISOString());
      this.counters.transactions++;
      this.counters.appends++;
      this.notify();
      this.announcer.announce();
      return result;
    } finally {
      this.db.exec('DROP TABLE IF EXISTS temp.staged_events');
      this.db.pragma('temp_store = MEMORY');
    }
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

  /**
   * Writes every queued append in one transaction, each inside its own savepoint. With the writer
   * thread, one batch is in flight at a time: what queues meanwhile is the next batch (posting each
   * turn's appends at once measured no faster, and cost this thread more messages).
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.writing || this.queue.length === 0) return;
    const batch = this.queue;
    this.queue = [];
    const requests: WriteRequest[] = batch.map(({ streamId, expected, events }) => ({ streamId, expected, events }));
    let written: WriteBatchResult | Promise<WriteBatchResult>;
    try {
      written = this.writer.write(requests, this.now().toISOString());
    } catch (error) {
      for (const item of batch) item.reject(error);
      return;
    }
    if (!(written instanceof Promise)) {
      this.settle(batch, written);
      return;
    }
    this.writing = written.then(
      (result) => this.settle(batch, result),
      (error: unknown) => {
        for (const item of batch) item.reject(error);
      },
    );
    void this.writing.finally(() => {
      this.writing = undefined;
      this.flush();
    });
  }

  private settle(batch: PendingAppend[], { outcomes, wrote }: WriteBatchResult): void {
    this.counters.transactions++;
    this.counters.appends += batch.length;
    this.counters.largestBatch = Math.max(this.counters.largestBatch, batch.length);
    for (let i = 0; i < batch.length; i++) {
      const outcome = outcomes[i];
      if (outcome.ok) batch[i].resolve(outcome.result);
      else batch[i].reject(writeFailureToError(outcome.failure));
    }
    if (wrote) {
      this.notify();
      // The writer thread tells the other threads itself, off this thread (a broadcast costs ~0.1 ms).
      if (!(this.writer instanceof WriterThread)) this.announcer.announce();
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
        conditions.push('version < COALESCE((SELECT min(version) FROM events WHERE stream_id = ? AND recorded_at > ?), 9223372036854775807)');
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
    const upcast = options.upcast !== false;
    return this.paged(sql, params, fromVersion - 1, 2, (row: Row) => this.toEvent(row, upcast));
  }

  readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    const { sql, params } = this.readAllQuery(options);
    const upcast = options.upcast !== false;
    return this.paged(sql, params, options.fromPosition ?? 0, 0, (row: Row) => this.toEvent(row, upcast));
  }

  readChainLinks(options: { fromPosition?: number } = {}): AsyncIterable<ChainLink> {
    const from = options.fromPosition ?? 0;
    checkInteger('fromPosition', from);
    const sql = 'SELECT global_position, stream_id, version, hash FROM events WHERE global_position > ? ORDER BY global_position LIMIT ?';
    return this.paged(sql, [], from, 0, ([globalPosition, streamId, version, hash]: [number, string, number, string]) => ({
      globalPosition,
      streamId,
      version,
      hash,
    }));
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

  /** Pages through a query whose first bound value is the cursor (the stream id first for readStream). */
  private paged<R extends unknown[], T>(sql: string, params: unknown[], start: number, cursorColumn: 0 | 2, toItem: (row: R) => T): AsyncIterable<T> {
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
          const rows = statement.all(...bind(cursor)) as R[];
          for (const row of rows) yield toItem(row);
          if (rows.length < pageSize) return;
          cursor = rows[rows.length - 1][cursorColumn] as number;
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

  /** Writes what is queued or in flight (it was accepted), then stops subscriptions and the writer. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    while (this.writing || this.queue.length > 0) {
      if (!this.writing) this.flush();
      await this.writing;
    }
    await Promise.all([...this.subscriptions].map((subscription) => subscription.stop()));
    this.announcer.flush();
    this.appended.close();
    await this.writer.close();
    this.db.close();
  }
}

export function openSqliteEventStore(options: SqliteEventStoreOptions): SqliteEventStore {
  return new SqliteEventStore(options);
}

const DEFAULT_ANNOUNCE_INTERVAL_MS = 50;

/** The BroadcastChannel on which the stores of one file in this process (any thread) hear of new commits. */
function appendedChannelName(file: string): string {
  return `cbec-event-store:${file}`;
}

function inlineWriter(writer: SqliteWriter): BatchWriter {
  return { write: (batch, now) => writer.write(batch, now), close: async () => undefined };
}

/**
 * The writer thread (sqlite-writer.worker): batches go over as plain data and come back as outcomes.
 * The thread keeps the process alive only while a batch is in flight, so a forgotten store does not
 * hold the process open, and an awaited append is never cut short by the process exiting. A thread that
 * dies fails the batch in flight (it may or may not have committed: a retry with the same event ids is
 * answered from the file) and a new thread takes the next batch.
 */
class WriterThread implements BatchWriter {
  private worker!: Worker;
  private pending = new Map<number, { resolve(result: WriteBatchResult): void; reject(error: Error): void }>();
  private nextId = 1;
  private closed = false;
  /** Threads that died since the last batch that came back: a thread that cannot even start is not restarted forever. */
  private deaths = 0;
  /** Set once threads kept dying: every append is refused with the reason. */
  private broken: Error | undefined;

  constructor(private readonly data: WriterThreadData) {
    this.spawn();
  }

  private spawn(): void {
    const { filename, execArgv } = workerScript(__filename, __dirname, 'sqlite-writer.worker');
    const worker = new Worker(filename, { workerData: this.data, execArgv });
    const pending = new Map<number, { resolve(result: WriteBatchResult): void; reject(error: Error): void }>();
    this.worker = worker;
    this.pending = pending;
    worker.unref();
    worker.on('message', (message: { id?: number } & Partial<WriteBatchResult>) => {
      if (message.id === undefined) return; // the ready signal
      const waiter = pending.get(message.id);
      pending.delete(message.id);
      if (pending.size === 0) worker.unref();
      this.deaths = 0;
      waiter?.resolve({ outcomes: message.outcomes!, wrote: message.wrote! });
    });
    let reason = '';
    worker.on('error', (error) => {
      reason = error.message;
    });
    worker.on('exit', (code) => {
      if (this.closed) return;
      const failure = new Error(
        `the SQLite writer thread of ${this.data.file} stopped (${reason || `exit code ${code}`}); the append may or may not be stored`,
      );
      for (const waiter of pending.values()) waiter.reject(failure);
      pending.clear();
      if (++this.deaths <= 3) this.spawn();
      else this.broken = new Error(`the SQLite writer thread of ${this.data.file} stopped ${this.deaths} times in a row (${reason || `exit code ${code}`})`);
    });
  }

  write(batch: WriteRequest[], now: string): Promise<WriteBatchResult> {
    if (this.closed) return Promise.reject(new Error('SqliteEventStore is closed'));
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    const worker = this.worker;
    return new Promise<WriteBatchResult>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, batch, now } satisfies WriterThreadMessage);
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.broken) return;
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.ref();
    worker.postMessage({ close: true } satisfies WriterThreadMessage);
    await exited;
  }
}
