import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, eventStoreContract, newEvent } from '../contract/event-store.contract';
import { sqliteContractHarness } from './sqlite-contract-harness';
import { SqliteEventStore } from './sqlite-event-store';

eventStoreContract(sqliteContractHarness());
eventStoreContract(sqliteContractHarness({ synchronous: 'NORMAL', groupCommit: 'next-tick' }));
eventStoreContract(sqliteContractHarness({ writer: 'thread' }));

describe('SQLite event store specifics', () => {
  let directory: string;
  let store: SqliteEventStore;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cbec-sqlite-'));
    store = new SqliteEventStore({ directory });
  });

  afterEach(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('writes events.db in the given directory, in WAL mode, synchronous FULL by default, at the latest schema', () => {
    const db = store.database;
    expect(store.file).toBe(join(directory, 'events.db'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'events table with per-stream hash chain' },
      { version: 2, name: 'events are append-only: triggers refuse UPDATE and DELETE' },
    ]);
  });

  it('refuses to update or delete a stored event (the log is append-only in the database too)', async () => {
    await store.append('fund-2026', [newEvent('FundAppropriated', { amountCny: '1.00' })], { expectedVersion: 'no-stream' });
    expect(() => store.database.prepare(`UPDATE events SET data = '{"amountCny":"9.00"}'`).run()).toThrow(/events are append-only: UPDATE refused/);
    expect(() => store.database.prepare(`UPDATE events SET recorded_at = '2019-01-01T00:00:00.000Z'`).run()).toThrow(/append-only/);
    expect(() => store.database.prepare('DELETE FROM events').run()).toThrow(/events are append-only: DELETE refused/);
    expect(store.database.prepare('SELECT data FROM events').pluck().all()).toEqual(['{"amountCny":"1.00"}']);
  });

  it('can be opened at synchronous NORMAL, and reopening does not re-run migrations', async () => {
    const normal = new SqliteEventStore({ directory, synchronous: 'NORMAL' });
    expect(normal.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(normal.database.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 2 });
    await normal.close();
    expect(() => new SqliteEventStore({ directory, synchronous: 'OFF' as never })).toThrow(/synchronous must be FULL or NORMAL/);
  });

  it('refuses a file written by a newer schema', async () => {
    store.database.pragma('user_version = 99');
    expect(() => new SqliteEventStore({ directory })).toThrow(/schema version 99, newer than this code knows/);
  });

  it('commits appends queued in the same tick in one transaction, each checked on its own', async () => {
    await store.append('fund-2026', [newEvent('FundAppropriated', {})], { expectedVersion: 'no-stream' });
    const before = store.commitStats;
    // 32 appenders: 31 to their own new streams, plus one stale append to the fund stream.
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 31 }, (_, i) => store.append(`beneficiary-${i}`, [newEvent('AwardReserved', { i })], { expectedVersion: 'no-stream' })),
      store.append('fund-2026', [newEvent('FundCommitted', {})], { expectedVersion: 'no-stream' }),
    ]);
    const after = store.commitStats;
    expect(after.transactions - before.transactions).toBe(1);
    expect(after.appends - before.appends).toBe(32);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(31);
    expect(outcomes[31]).toMatchObject({ status: 'rejected', reason: { name: 'WrongExpectedVersion', actual: 0 } });
    expect(await collect(store.readStream('fund-2026'))).toHaveLength(1);
    expect((await store.verify()).ok).toBe(true);
  });

  it("undoes only the failing append of a batch: a one-event append's INSERT, a longer append's savepoint", async () => {
    const taken = newEvent('ApplicationSubmitted', {});
    await store.append('application-taken', [taken], { expectedVersion: 'no-stream' });
    const before = store.commitStats;
    const outcomes = await Promise.allSettled([
      store.append('beneficiary-a', [newEvent('AwardReserved', {})], { expectedVersion: 'no-stream' }),
      // One event whose id is already stored (no savepoint: the INSERT alone fails).
      store.append('application-copy', [taken], { expectedVersion: 'no-stream' }),
      // Two events, the second a stored id: the first must be undone with it (savepoint).
      store.append('application-pair', [newEvent('ApplicationSubmitted', {}), taken], { expectedVersion: 'no-stream' }),
      store.append('beneficiary-b', [newEvent('AwardReserved', {})], { expectedVersion: 'no-stream' }),
    ]);
    expect(store.commitStats.transactions - before.transactions).toBe(1);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(outcomes[1]).toMatchObject({ reason: { name: 'EventIdConflict' } });
    expect(outcomes[2]).toMatchObject({ reason: { name: 'EventIdConflict' } });
    expect(await collect(store.readStream('application-copy'))).toEqual([]);
    expect(await collect(store.readStream('application-pair'))).toEqual([]);
    expect(await collect(store.readStream('beneficiary-b'))).toHaveLength(1);
    expect((await store.verify()).ok).toBe(true);
  });

  it('reads correctly across page boundaries', async () => {
    const small = new SqliteEventStore({ directory, pageSize: 7 });
    await small.append(
      'application-long',
      Array.from({ length: 50 }, (_, i) => newEvent('Counted', { i })),
      { expectedVersion: 'no-stream' },
    );
    const versions = (await collect(small.readStream('application-long', { fromVersion: 3 }))).map((e) => e.version);
    expect(versions).toEqual(Array.from({ length: 47 }, (_, i) => i + 3));
    expect((await collect(small.readAll())).map((e) => e.globalPosition)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    await small.close();
  });

  it('reads the chain links (position, stream, version, hash) of what readAll reads, without the bodies, across pages', async () => {
    const small = new SqliteEventStore({ directory, pageSize: 4 });
    for (let i = 0; i < 5; i++) {
      await small.append(`application-${i}`, [newEvent('ApplicationSubmitted', { i }), newEvent('CaseAccepted', { i })], { expectedVersion: 'no-stream' });
    }
    const link = ({ globalPosition, streamId, version, hash }: { globalPosition: number; streamId: string; version: number; hash: string }) => ({
      globalPosition,
      streamId,
      version,
      hash,
    });
    const all = (await collect(small.readAll({ upcast: false }))).map(link);
    expect(all).toHaveLength(10);
    expect(await collect(small.readChainLinks())).toEqual(all);
    expect(await collect(small.readChainLinks({ fromPosition: 7 }))).toEqual(all.slice(7));
    expect(() => small.readChainLinks({ fromPosition: 1.5 })).toThrow('fromPosition must be an integer, got 1.5');
    await small.close();
  });

  it('sees an append made through another connection only through the file (no cached version)', async () => {
    await store.append('application-1', [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' });
    const other = new SqliteEventStore({ directory });
    await other.append('application-1', [newEvent('ApplicationRouted', {})], { expectedVersion: 0 });
    await expect(store.append('application-1', [newEvent('OpinionGiven', {})], { expectedVersion: 0 })).rejects.toMatchObject({ actual: 1 });
    await other.close();
    const db = new Database(store.file, { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 2 });
    db.close();
  });
});

describe('SQLite event store with the writer thread', () => {
  let directory: string;

  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'cbec-sqlite-thread-'));
  });

  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('collects the appends that arrive while a batch is being written into the next batch', async () => {
    const store = new SqliteEventStore({ directory, writer: 'thread' });
    const first = store.append('application-0', [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' });
    await new Promise((resolve) => setImmediate(resolve)); // the first batch is now with the thread
    const rest = Array.from({ length: 20 }, (_, i) =>
      store.append(`application-${i + 1}`, [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' }),
    );
    await Promise.all([first, ...rest]);
    expect(store.commitStats).toEqual({ transactions: 2, appends: 21, largestBatch: 20 });
    expect(await store.headPosition()).toBe(21);
    await store.close();
  });

  it('keeps the typed conflicts of the port across the thread', async () => {
    const store = new SqliteEventStore({ directory, writer: 'thread' });
    const event = newEvent('ApplicationSubmitted', {});
    await store.append('application-1', [event], { expectedVersion: 'no-stream' });
    await expect(store.append('application-1', [newEvent('ApplicationRouted', {})], { expectedVersion: 'no-stream' })).rejects.toMatchObject({
      name: 'WrongExpectedVersion',
      code: 'wrong-expected-version',
      streamId: 'application-1',
      actual: 0,
    });
    await expect(store.append('application-2', [event], { expectedVersion: 'no-stream' })).rejects.toMatchObject({
      name: 'EventIdConflict',
      eventIds: [event.eventId],
    });
    await store.close();
  });

  it('writes everything accepted before close, and refuses appends after it', async () => {
    const store = new SqliteEventStore({ directory, writer: 'thread' });
    const appends = Array.from({ length: 5 }, (_, i) =>
      store.append(`application-${i}`, [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' }),
    );
    await store.close();
    await expect(Promise.all(appends)).resolves.toHaveLength(5);
    await expect(store.append('application-9', [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' })).rejects.toThrow(/closed/);
    const db = new Database(join(directory, 'events.db'), { readonly: true });
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 5 });
    db.close();
  });

  it('replaces a writer thread that died: the append in flight fails without a false answer, its retry is answered from the file', async () => {
    const store = new SqliteEventStore({ directory, writer: 'thread' });
    await store.append('application-0', [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' });
    const thread = (store as unknown as { writer: { worker: { terminate(): Promise<number> } } }).writer;
    const event = newEvent('ApplicationSubmitted', {});
    const inFlight = store.append('application-1', [event], { expectedVersion: 'no-stream' });
    await new Promise((resolve) => setImmediate(resolve)); // the batch is with the thread
    await thread.worker.terminate();
    const outcome = await inFlight.then(
      () => 'stored',
      (error: Error) => error.message,
    );
    // Either it committed before the thread died, or the caller is told it may not have.
    expect(outcome).toMatch(/^stored$|writer thread .* stopped .* may or may not be stored/);
    // The same append again (same event id, as a client retry sends it): stored once, whatever happened.
    await expect(store.append('application-1', [event], { expectedVersion: 'no-stream' })).resolves.toMatchObject({ nextExpectedVersion: 0 });
    await store.append('application-2', [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' });
    expect(await store.headPosition()).toBe(3);
    await store.close();
  });

  it('announces a busy spell of commits once per interval, the last of them included, not one wake-up per commit', async () => {
    const writer = new SqliteEventStore({ directory, writer: 'thread', announceIntervalMs: 300 });
    const reader = new SqliteEventStore({ directory, pollIntervalMs: 60_000 });
    const seen: number[] = [];
    const subscription = reader.subscribe({ fromCheckpoint: 0 }, (event) => {
      seen.push(event.globalPosition);
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50)); // caught up and idle
      for (let i = 0; i < 5; i++) await writer.append(`application-${i}`, [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' });
      // the first commit was announced at once; the four after it wait for the end of the interval
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(seen.length).toBeLessThan(5);
      const deadline = Date.now() + 2000;
      while (seen.length < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await subscription.stop();
      await reader.close();
      await writer.close();
    }
  });

  it('wakes the subscriptions of every store on the file in this process at once, not at the next poll', async () => {
    const writer = new SqliteEventStore({ directory, writer: 'thread' });
    // A poll interval far longer than the test: only the wake-up can deliver in time.
    const reader = new SqliteEventStore({ directory, pollIntervalMs: 60_000 });
    const seen: string[] = [];
    const subscription = reader.subscribe({ fromCheckpoint: 0 }, (event) => {
      seen.push(event.streamId);
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 50)); // caught up and idle
      await writer.append('application-1', [newEvent('ApplicationSubmitted', {})], { expectedVersion: 'no-stream' });
      const deadline = Date.now() + 2000;
      while (seen.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toEqual(['application-1']);
    } finally {
      await subscription.stop();
      await reader.close();
      await writer.close();
    }
  });
});
