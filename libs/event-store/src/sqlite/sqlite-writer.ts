import type Database from 'better-sqlite3';
import { type AppendResult, EventIdConflict, type ExpectedVersion, WrongExpectedVersion } from '../event-store.port';
import { expectedVersionMatches, originalAppendResult } from '../expected-version';
import { GENESIS_HASH, hashFromCanonicalParts } from '../hash-chain';
import type { PreparedEvent } from '../prepare-event';

export type { PreparedEvent };

/** One append of a batch. Plain data: it may cross to a worker thread. */
export interface WriteRequest {
  streamId: string;
  expected: ExpectedVersion;
  events: PreparedEvent[];
}

/** Why an append was not stored, as plain data (see `writeFailureToError`). */
export type WriteFailure =
  | { kind: 'wrong-expected-version'; streamId: string; expected: ExpectedVersion; actual: number }
  | { kind: 'event-id-conflict'; streamId: string; expected: ExpectedVersion; actual: number; eventIds: string[] }
  | { kind: 'error'; name: string; message: string; code?: string };

export type WriteOutcome = { ok: true; result: AppendResult } | { ok: false; failure: WriteFailure };

export interface WriteBatchResult {
  /** One per request, in order. */
  outcomes: WriteOutcome[];
  /** Did the batch commit anything (subscriptions have something to read)? */
  wrote: boolean;
}

class DuplicateEventId extends Error {}

export interface SqliteWriterOptions {
  /**
   * How to wait for another connection's write lock at the start of a batch: try again every `pollMs`
   * (this thread blocks meanwhile) for at most `timeoutMs`, instead of SQLite's busy handler, whose sleeps
   * grow 1, 2, 5, 10, 15, 20... ms while a writer in another process takes the lock again and again (in
   * two cluster workers' writer threads its waits reached a p99 of 16-23 ms and a max of 140 ms; polling
   * every 0.2 ms, 4-8 ms and 18 ms). For a thread that does nothing else: the writer thread.
   */
  lockWait?: { pollMs: number; timeoutMs: number };
}

/** What Atomics.wait sleeps on (nothing ever notifies it: the wait is a sleep of this thread). */
const SLEEP_CELL = new Int32Array(new SharedArrayBuffer(4));

/**
 * The write half of the SQLite store: one connection, one transaction per batch (group commit: one fsync
 * for every append that queued meanwhile), a savepoint per append so one append's conflict does not undo
 * the others. Synchronous and free of callbacks, so the same class runs inline or in the writer thread
 * (sqlite-writer.worker.ts), where the fsync no longer stalls the event loop that serves requests.
 */
export class SqliteWriter {
  private lastRecordedAt: string;
  private readonly tx: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'rollbackTo', Database.Statement>;
  private readonly stmt: {
    head: Database.Statement<[string], { version: number; hash: string }>;
    insert: Database.Statement;
    byEventId: Database.Statement<[string], { stream_id: string; version: number; global_position: number }>;
  };

  private readonly lockWait: { pollMs: number; timeoutMs: number; busyTimeoutMs: number } | null;

  constructor(
    private readonly db: Database.Database,
    options: SqliteWriterOptions = {},
  ) {
    const wait = options.lockWait;
    this.lockWait = wait
      ? // The connection's own busy timeout, set again after each BEGIN.
        { ...wait, busyTimeoutMs: Number(db.pragma('busy_timeout', { simple: true })) }
      : null;
    this.stmt = {
      head: db.prepare('SELECT version, hash FROM events WHERE stream_id = ? ORDER BY version DESC LIMIT 1'),
      insert: db.prepare(
        'INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      byEventId: db.prepare('SELECT stream_id, version, global_position FROM events WHERE event_id = ?'),
    };
    this.lastRecordedAt = (db.prepare('SELECT recorded_at FROM events ORDER BY global_position DESC LIMIT 1').pluck().get() as string | undefined) ?? '';
    this.tx = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT append'),
      release: db.prepare('RELEASE append'),
      rollbackTo: db.prepare('ROLLBACK TO append'),
    };
  }

  /**
   * Writes the batch in one transaction. `now` is the caller's clock (ISO instant); recordedAt never goes
   * backwards: max(now, the last recordedAt written or found on opening).
   */
  write(batch: WriteRequest[], now: string): WriteBatchResult {
    if (now > this.lastRecordedAt) this.lastRecordedAt = now;
    const recordedAt = this.lastRecordedAt;
    const outcomes: WriteOutcome[] = new Array(batch.length);
    const duplicates: number[] = [];
    let wrote = false;
    try {
      this.begin();
      // A lone append needs no savepoint: its transaction is its atomicity. Nor does an append of one
      // event: it writes with a single INSERT, which a constraint error undoes by itself (SQLite aborts
      // the statement, not the transaction), and everything before the INSERT only reads.
      const single = batch.length === 1;
      for (let i = 0; i < batch.length; i++) {
        const guarded = !single && batch[i].events.length > 1;
        if (guarded) this.tx.savepoint.run();
        try {
          outcomes[i] = { ok: true, result: this.appendInTransaction(batch[i], recordedAt) };
          if (guarded) this.tx.release.run();
          wrote = true;
        } catch (error) {
          if (single) throw error;
          if (guarded) {
            this.tx.rollbackTo.run();
            this.tx.release.run();
          }
          if (error instanceof DuplicateEventId) duplicates.push(i);
          else outcomes[i] = { ok: false, failure: toFailure(error) };
        }
      }
      if (wrote) this.tx.commit.run();
      else this.tx.rollback.run();
    } catch (error) {
      if (this.db.inTransaction) this.tx.rollback.run();
      if (batch.length === 1 && error instanceof DuplicateEventId) duplicates.push(0);
      else return { outcomes: batch.map(() => ({ ok: false, failure: toFailure(error) })), wrote: false };
    }
    // Read after the rollback: the answer comes from what is committed.
    for (const i of duplicates) outcomes[i] = this.settleDuplicate(batch[i]);
    return { outcomes, wrote };
  }

  /**
   * The last step of SqliteEventStore.appendChunked: one write transaction that copies the events staged
   * in this connection's temporary table `staged_events` (versions after `head`, hashes chained from it)
   * into the log with one INSERT ... SELECT, so the write lock is held only for that copy. Refused with
   * WrongExpectedVersion, nothing written, when the stream's head is no longer `head` (its version and
   * hash: the staged chain would not continue it). Any failure rolls the whole copy back.
   */
  copyStaged(streamId: string, expected: ExpectedVersion, head: { version: number; hash: string }, count: number, now: string): AppendResult {
    this.begin();
    try {
      const current = this.stmt.head.get(streamId);
      const currentVersion = current ? current.version : -1;
      if (currentVersion !== head.version || (current ? current.hash : GENESIS_HASH) !== head.hash) {
        throw new WrongExpectedVersion(streamId, expected, currentVersion);
      }
      const last = this.db.prepare('SELECT recorded_at FROM events ORDER BY global_position DESC LIMIT 1').pluck().get() as string | undefined;
      if (last !== undefined && last > this.lastRecordedAt) this.lastRecordedAt = last;
      if (now > this.lastRecordedAt) this.lastRecordedAt = now;
      const info = this.db
        .prepare(
          `INSERT INTO events (stream_id, version, event_id, type, schema_version, data, metadata, recorded_at, prev_hash, hash)
           SELECT ?, version, event_id, type, schema_version, data, metadata, ?, prev_hash, hash FROM temp.staged_events ORDER BY version`,
        )
        .run(streamId, this.lastRecordedAt);
      if (info.changes !== count) throw new Error(`appendChunked ${streamId}: ${info.changes} events copied, ${count} staged`);
      this.tx.commit.run();
      return { nextExpectedVersion: head.version + count, lastGlobalPosition: Number(info.lastInsertRowid) };
    } catch (error) {
      if (this.db.inTransaction) this.tx.rollback.run();
      if (isUniqueViolation(error, 'events.event_id')) {
        throw new EventIdConflict(streamId, expected, head.version, []);
      }
      throw error;
    }
  }

  /** BEGIN IMMEDIATE: the write lock, waited for as `lockWait` says (else by SQLite's busy handler). */
  private begin(): void {
    const wait = this.lockWait;
    if (!wait) {
      this.tx.begin.run();
      return;
    }
    // Only BEGIN polls: every other statement keeps the connection's busy handler. (A PRAGMA takes effect
    // when it is prepared, so these cannot be prepared once.)
    this.db.pragma('busy_timeout = 0');
    try {
      const deadline = Date.now() + wait.timeoutMs;
      for (;;) {
        try {
          this.tx.begin.run();
          return;
        } catch (error) {
          if ((error as { code?: unknown }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw error;
          Atomics.wait(SLEEP_CELL, 0, 0, wait.pollMs);
        }
      }
    } finally {
      this.db.pragma(`busy_timeout = ${wait.busyTimeoutMs}`);
    }
  }

  /** Runs inside the write transaction: the version check reads the file, never a cache. */
  private appendInTransaction(item: WriteRequest, recordedAt: string): AppendResult {
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
  private findOriginal(item: WriteRequest): AppendResult | undefined {
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
  private settleDuplicate(item: WriteRequest): WriteOutcome {
    try {
      const original = this.findOriginal(item);
      if (original) return { ok: true, result: original };
      const head = this.stmt.head.get(item.streamId);
      const stored = item.events.filter((event) => this.stmt.byEventId.get(event.eventId)).map((event) => event.eventId);
      return {
        ok: false,
        failure: { kind: 'event-id-conflict', streamId: item.streamId, expected: item.expected, actual: head ? head.version : -1, eventIds: stored },
      };
    } catch (error) {
      return { ok: false, failure: toFailure(error) };
    }
  }
}

function toFailure(error: unknown): WriteFailure {
  if (error instanceof WrongExpectedVersion) {
    return { kind: 'wrong-expected-version', streamId: error.streamId, expected: error.expected, actual: error.actual };
  }
  const e = error as { name?: unknown; message?: unknown; code?: unknown } | null;
  return {
    kind: 'error',
    name: typeof e?.name === 'string' ? e.name : 'Error',
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.code === 'string' ? { code: e.code } : {}),
  };
}

/** The typed error the port promises, rebuilt from a failure (which may have crossed a thread). */
export function writeFailureToError(failure: WriteFailure): Error {
  switch (failure.kind) {
    case 'wrong-expected-version':
      return new WrongExpectedVersion(failure.streamId, failure.expected, failure.actual);
    case 'event-id-conflict':
      return new EventIdConflict(failure.streamId, failure.expected, failure.actual, failure.eventIds);
    default: {
      const error = new Error(failure.message) as Error & { code?: string };
      error.name = failure.name;
      if (failure.code !== undefined) error.code = failure.code;
      return error;
    }
  }
}

function isUniqueViolation(error: unknown, column: string): boolean {
  const e = error as { code?: string; message?: string };
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' && typeof e.message === 'string' && e.message.includes(column);
}
