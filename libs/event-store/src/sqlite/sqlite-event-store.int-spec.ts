import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, eventStoreContract, newEvent } from '../contract/event-store.contract';
import { sqliteContractHarness } from './sqlite-contract-harness';
import { SqliteEventStore } from './sqlite-event-store';

eventStoreContract(sqliteContractHarness());
eventStoreContract(sqliteContractHarness({ synchronous: 'NORMAL', groupCommit: 'next-tick' }));

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
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(db.prepare('SELECT version, name FROM schema_migrations').all()).toEqual([
      { version: 1, name: 'events table with per-stream hash chain' },
    ]);
  });

  it('can be opened at synchronous NORMAL, and reopening does not re-run migrations', async () => {
    const normal = new SqliteEventStore({ directory, synchronous: 'NORMAL' });
    expect(normal.database.pragma('synchronous', { simple: true })).toBe(1);
    expect(normal.database.prepare('SELECT count(*) AS n FROM schema_migrations').get()).toEqual({ n: 1 });
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

  it('reads correctly across page boundaries', async () => {
    const small = new SqliteEventStore({ directory, pageSize: 7 });
    await small.append('application-long', Array.from({ length: 50 }, (_, i) => newEvent('Counted', { i })), { expectedVersion: 'no-stream' });
    const versions = (await collect(small.readStream('application-long', { fromVersion: 3 }))).map((e) => e.version);
    expect(versions).toEqual(Array.from({ length: 47 }, (_, i) => i + 3));
    expect((await collect(small.readAll())).map((e) => e.globalPosition)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
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
