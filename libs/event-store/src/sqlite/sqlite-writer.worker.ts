/**
 * The writer thread of a SqliteEventStore opened with `writer: 'thread'`: its own connection to the file.
 * The fsync of each commit (and any wait for another process's write lock) blocks this thread, not the
 * thread serving requests. Batches that arrive while a transaction is being written are joined into the
 * next one (group commit here too), and answered together in one message.
 */
import Database from 'better-sqlite3';
import { BroadcastChannel, parentPort, workerData } from 'node:worker_threads';
import { SqliteWriter, type WriteBatchResult, type WriteRequest } from './sqlite-writer';

export interface WriterThreadData {
  file: string;
  synchronous: 'FULL' | 'NORMAL';
  busyTimeoutMs: number;
  /** The stores of this file in this process listen here for commits (see SqliteEventStore). */
  appendedChannel: string;
}

export type WriterThreadMessage = { id: number; batch: WriteRequest[]; now: string } | { close: true };

/** The answer to every batch of one transaction, in the order they came. */
export interface WriterThreadAnswer {
  answers: Array<{ id: number } & WriteBatchResult>;
}

const { file, synchronous, busyTimeoutMs, appendedChannel } = workerData as WriterThreadData;
const db = new Database(file, { timeout: busyTimeoutMs });
db.pragma('journal_mode = WAL');
db.pragma(`synchronous = ${synchronous}`);
// Each append's savepoint journals the pages it changes: in memory (never needed after a crash).
db.pragma('temp_store = MEMORY');
const writer = new SqliteWriter(db);
const port = parentPort!;
const appended = new BroadcastChannel(appendedChannel);
appended.unref();

let waiting: Array<{ id: number; batch: WriteRequest[]; now: string }> = [];

/** One transaction for every batch that arrived since the last one. */
function writeWaiting(): void {
  const batches = waiting;
  waiting = [];
  if (batches.length === 0) return;
  const requests = batches.length === 1 ? batches[0].batch : batches.flatMap((b) => b.batch);
  // recordedAt never goes backwards: the latest caller clock of the joined batches.
  const now = batches.reduce((latest, b) => (b.now > latest ? b.now : latest), batches[0].now);
  const { outcomes, wrote } = writer.write(requests, now);
  const answers: WriterThreadAnswer['answers'] = [];
  let from = 0;
  for (const b of batches) {
    answers.push({ id: b.id, outcomes: outcomes.slice(from, from + b.batch.length), wrote });
    from += b.batch.length;
  }
  port.postMessage({ answers } satisfies WriterThreadAnswer);
  // Wakes the subscriptions of every store on this file in this process, the requesting one included.
  if (wrote) appended.postMessage(null);
}

port.on('message', (message: WriterThreadMessage) => {
  if ('close' in message) {
    writeWaiting();
    db.close();
    appended.close();
    port.close();
    return;
  }
  // Messages that queued during the last transaction are all delivered before the immediate runs.
  if (waiting.push(message) === 1) setImmediate(writeWaiting);
});
port.postMessage({ ready: true });
