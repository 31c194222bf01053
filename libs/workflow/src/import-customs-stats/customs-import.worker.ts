/**
 * The customs import thread: one large import (customs-imports.ts) read, checked, decided and stored on
 * its own connection to the event log, so that the event loop serving requests never runs it. It posts
 * its progress while it works, then the answer or the refusal, and ends.
 */
import { basename, dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteEventStore, runInBackground } from '@cbec/event-store';
import { AggregateStore, CommandContext } from '@cbec/platform';
import { ImportCustomsStatsAnswer, ImportProgress, runCustomsImport, SerializedRefusal, serializeRefusal } from './customs-import.job';

// Behind the requests: yields the cores to the event loop and the writer thread when both are busy.
runInBackground();

export interface CustomsImportThreadData {
  eventsFile: string;
  content: Uint8Array;
  contentType: string;
  ctx: Omit<CommandContext, 'now'> & { now: string };
}

export type CustomsImportToMain = { progress: ImportProgress } | { answer: ImportCustomsStatsAnswer } | { refusal: SerializedRefusal } | { failure: string };

const { eventsFile, content, contentType, ctx } = workerData as CustomsImportThreadData;
const port = parentPort!;
const post = (message: CustomsImportToMain): void => port.postMessage(message);

// A year's append can hold hundreds of thousands of events: it waits for the server's writer as long as it takes.
const store = openSqliteEventStore({ directory: dirname(eventsFile), fileName: basename(eventsFile), busyTimeoutMs: 120_000 });
const bytes = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
void runCustomsImport({ content: bytes, contentType }, { ...ctx, now: new Date(ctx.now) }, new AggregateStore(store), {
  progress: (progress) => post({ progress: { ...progress } }),
})
  .then(
    (answer) => post({ answer }),
    (error: unknown) => {
      const refusal = serializeRefusal(error);
      post(refusal ? { refusal } : { failure: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    },
  )
  .finally(() => store.close());
