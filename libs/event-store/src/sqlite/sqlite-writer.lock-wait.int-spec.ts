import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { openSqliteEventStore } from './sqlite-event-store';
import { SqliteWriter, type WriteRequest } from './sqlite-writer';

/**
 * The writer thread waits for another process's write lock by polling BEGIN IMMEDIATE (`lockWait`), not
 * with SQLite's busy handler: it takes the lock soon after it is released, gives up after its timeout
 * with SQLITE_BUSY, and leaves the connection's busy handler as it was for every other statement.
 */
let dir: string;
let file: string;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-lock-wait-'));
  await openSqliteEventStore({ directory: dir }).close(); // the schema
  file = join(dir, 'events.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Another connection (in a thread, standing for another process) holds the write lock for `holdMs`. */
async function holdWriteLock(holdMs: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
     const { parentPort, workerData } = require('node:worker_threads');
     const db = new Database(workerData.file);
     db.exec('BEGIN IMMEDIATE');
     parentPort.postMessage('locked');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
     db.exec('COMMIT');
     db.close();`,
    { eval: true, workerData: { file, holdMs } },
  );
  await new Promise<void>((resolve) => worker.once('message', () => resolve()));
  return { released: new Promise<void>((resolve) => worker.once('exit', () => resolve())) };
}

function request(n: number): WriteRequest {
  return {
    streamId: `s-${n}`,
    expected: 'no-stream',
    events: [{ eventId: `00000000-0000-4000-8000-00000000000${n}`, type: 'T', schemaVersion: 1, data: '{}', metadata: '{}' }],
  };
}

/**
 * One append by a writer on its own connection (busy timeout 5 s) polling for the lock (`lockTimeoutMs`),
 * while another connection holds the lock for `holdMs`; once that one has let go, the connection is handed
 * back for checks.
 */
async function writeWhileLocked(holdMs: number, lockTimeoutMs: number, n: number) {
  const db = new Database(file, { timeout: 5000 });
  db.pragma('journal_mode = WAL');
  const writer = new SqliteWriter(db, { lockWait: { pollMs: 0.2, timeoutMs: lockTimeoutMs } });
  const { released } = await holdWriteLock(holdMs);
  const started = Date.now();
  const result = writer.write([request(n)], new Date().toISOString());
  const waited = Date.now() - started;
  await released;
  return { db, result, waited };
}

it('takes the lock once the other connection releases it, and keeps the busy handler for everything else', async () => {
  const { db, result, waited } = await writeWhileLocked(150, 5000, 1);
  expect(result.outcomes).toEqual([{ ok: true, result: expect.objectContaining({ nextExpectedVersion: 0 }) }]);
  expect(waited).toBeGreaterThanOrEqual(100);
  expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  db.close();
});

it('gives up with SQLITE_BUSY after its timeout, storing nothing', async () => {
  const { db, result, waited } = await writeWhileLocked(600, 60, 2);
  expect(result).toEqual({ outcomes: [{ ok: false, failure: expect.objectContaining({ kind: 'error', code: 'SQLITE_BUSY' }) }], wrote: false });
  expect(waited).toBeGreaterThanOrEqual(60);
  expect(waited).toBeLessThan(600);
  expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  expect(db.prepare('SELECT count(*) FROM events').pluck().get()).toBe(0);
  db.close();
});
