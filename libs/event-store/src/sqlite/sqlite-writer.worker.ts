/**
 * The writer thread of a SqliteEventStore opened with `writer: 'thread'`: its own connection to the file,
 * one batch at a time. The fsync of each commit (and any wait for another process's write lock) blocks
 * this thread, not the thread serving requests.
 */
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteWriter, type WriteRequest } from './sqlite-writer';

export interface WriterThreadData {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
}

export type WriterThreadMessage = { id: number; batch: WriteRequest[]; now: string } | { close: true };

const { file, synchronous, busyTimeoutMs } = workerData as WriterThreadData;
const db = new Database(file, { timeout: busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
// Each append's savepoint journals the pages it changes: in memory (never needed after a crash).
db.pragma('temp_store = MEMORY');
const writer = new SqliteWriter(db);
const port = parentPort!;

port.on('message', (message: WriterThreadMessage) => {
  if ('close' in message) {
    db.close();
    port.close();
    return;
  }
  port.postMessage({ id: message.id, ...writer.write(message.batch, message.now) });
});
port.postMessage({ ready: true });
