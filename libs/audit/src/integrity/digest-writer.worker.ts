/**
 * The audit digest thread (DigestWriterThread): the DigestWriter and the TreeHeadWriter on their own
 * connections to the log, so reading new events, hashing the Merkle tree's leaves and signing digests and
 * tree heads take no time from the event loop serving requests. On the stop message it writes the shutdown digest, closes its files and exits.
 */
import { basename, dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { openSqliteEventStore, runInBackground } from '@cbec/event-store';
import { AuditContext } from '../audit-context';
import { stopWithShutdownDigest } from './digest-writer';
import { startTreeHeads, stopTreeHeads } from './tree/tree-head-writer';
import type { DigestThreadToMain, DigestWriterThreadData, MainToDigestThread } from './digest-writer-thread';

// Behind the requests: yields the cores to the event loop and the writer thread when both are busy.
runInBackground();

const data = workerData as DigestWriterThreadData;
const port = parentPort!;
const post = (message: DigestThreadToMain): void => port.postMessage(message);
const logger = { log: (message: string) => post({ log: 'log', message }), error: (message: string) => post({ log: 'error', message }) };

const events = openSqliteEventStore({ directory: dirname(data.eventsFile), fileName: basename(data.eventsFile), logger });
const audit = new AuditContext(events, data.dataDir, () => new Date(Date.now() + data.clockOffsetMs), data.every, data.places);
const writer = audit.digestWriter({ logger, followIntervalMs: data.followIntervalMs });
const tree = audit.treeHeadWriter({
  logger,
  minIntervalMs: data.treeHeadIntervalMs,
  pollIntervalMs: data.treePollIntervalMs,
  publish: (head) => post({ treeHead: head }),
});

port.on('message', (message: MainToDigestThread) => {
  if (!('stop' in message)) return;
  void (async () => {
    try {
      await stopWithShutdownDigest(writer, logger);
      await stopTreeHeads(tree.writer, logger);
    } finally {
      tree.close();
      await audit.close();
      await events.close();
      port.close();
    }
  })();
});
writer.start();
void startTreeHeads(tree.writer, logger, (reason) => post({ treeHeadsRefused: reason }));
