/**
 * The writer thread of a SqliteEventStore opened with `writer: 'thread'`: its own connection to the file,
 * one batch at a time. The fsync of each commit (and any wait for another process's write lock) blocks
 * this thread, not the thread serving requests.
 */
import Database from 'better-sqlite3';
import { BroadcastChannel, parentPort, workerData } from 'node:worker_threads';
import { CommitAnnouncer } from './commit-announcer';
import { SqliteWriter, type WriteRequest } from './sqlite-writer';

export interface WriterThreadData {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
  /** The stores of this file in this process listen here for commits (see SqliteEventStore). */
  appendedChannel: string;
  /** Least time between two announcements of commits on appendedChannel (see CommitAnnouncer). */
  announceIntervalMs: number;
}

export type WriterThreadMessage = { id: number; batch: WriteRequest[]; now: string } | { close: true };

const { file, synchronous, busyTimeoutMs, appendedChannel, announceIntervalMs } = workerData as WriterThreadData;
const db = new Database(file, { timeout: busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
// Each append's savepoint journals the pages it changes: in memory (never needed after a crash).
db.pragma('temp_store = MEMORY');
// This thread does nothing but write: it waits for another process's write lock by polling (see lockWait).
const writer = new SqliteWriter(db, { lockWait: { pollMs: 0.2, timeoutMs: busyTimeoutMs } });
const port = parentPort!;
const appended = new BroadcastChannel(appendedChannel);
appended.unref();
const announcer = new CommitAnnouncer(appended, announceIntervalMs);

port.on('message', (message: WriterThreadMessage) => {
  if ('close' in message) {
    announcer.flush();
    db.close();
    appended.close();
    port.close();
    return;
  }
  const result = writer.write(message.batch, message.now);
  port.postMessage({ id: message.id, ...result });
  // Wakes the subscriptions of every store on this file in this process, the requesting one included.
  if (result.wrote) announcer.announce();
});
port.postMessage({ ready: true });
