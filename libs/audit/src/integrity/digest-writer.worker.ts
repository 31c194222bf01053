/**
 * The audit digest thread (DigestWriterThread): the DigestWriter on its own connection to the log, so
 * reading new chain links and signing a digest every N events take no time from the event loop serving
 * requests. On the stop message it writes the shutdown digest, closes its files and exits.
 */
import { basename, dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteEventStore, runInBackground } from '@cbec/event-store';
import { AuditContext } from '../audit-context';
import { stopWithShutdownDigest } from './digest-writer';
import type { DigestThreadToMain, DigestWriterThreadData, MainToDigestThread } from './digest-writer-thread';

// Behind the requests: yields the cores to the event loop and the writer thread when both are busy.
runInBackground();

const data = workerData as DigestWriterThreadData;
const port = parentPort!;
const post = (message: DigestThreadToMain): void => port.postMessage(message);
const logger = { log: (message: string) => post({ log: 'log', message }), error: (message: string) => post({ log: 'error', message }) };

const events = openSqliteEventStore({ directory: dirname(data.eventsFile), fileName: basename(data.eventsFile), logger });
const audit = new AuditContext(events, data.dataDir, () => new Date(Date.now() + data.clockOffsetMs), data.every);
const writer = audit.digestWriter({ logger, followIntervalMs: data.followIntervalMs });

port.on('message', (message: MainToDigestThread) => {
  if (!('stop' in message)) return;
  void (async () => {
    try {
      await stopWithShutdownDigest(writer, logger);
    } finally {
      audit.close();
      await events.close();
      port.close();
    }
  })();
});
writer.start();
