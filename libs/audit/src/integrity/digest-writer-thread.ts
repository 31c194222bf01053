import { SupervisedThread } from '@cbec/event-store';
import type { AuditPlaces } from '../shared/audit-files';
import type { SignedTreeHead } from './tree/tree-head';

export interface DigestWriterThreadData {
  /** The SQLite log the thread reads (its own connection). */
  eventsFile: string;
  /** CBEC_DATA_DIR: the digests, the signing key. */
  dataDir: string;
  /** A digest every `every` events. */
  every: number;
  /**
   * The app clock's distance from the system clock when the thread started: a digest's `createdAt` is
   * the app's time (a test's shifted clock shifts it too; a pinned clock's digests count on from the pin).
   */
  clockOffsetMs: number;
  followIntervalMs?: number;
  /** CBEC_AUDIT_KEY_FILE and CBEC_AUDIT_WITNESS_DIR. */
  places?: AuditPlaces;
  /** Least time between two tree heads under load (default 1000 ms). */
  treeHeadIntervalMs?: number;
  treePollIntervalMs?: number;
}

export type DigestThreadToMain = { log: 'log' | 'error'; message: string } | { treeHead: SignedTreeHead } | { treeHeadsRefused: string };
export type MainToDigestThread = { stop: true };

/** What runs the digest and tree-head writers for the server: in its own thread on SQLite, inline on another store. */
export interface DigestFollower {
  start(): void;
  /** Stops following and writes the shutdown digest (when events arrived since the last one). */
  stop(): Promise<void>;
}

/**
 * The digest writer in its own thread (digest-writer.worker.ts), restarted if it dies (SupervisedThread):
 * a new thread starts from the last digest in the table, as a restarted server does. On the thread that
 * serves requests a digest of 1,000 new streams held it 9-18 ms (canonical JSON of every changed head,
 * the Ed25519 signature, an fsync'd write) once per 1,000 events, which showed in the p99 of requests.
 */
export class DigestWriterThread implements DigestFollower {
  private readonly thread: SupervisedThread<MainToDigestThread, DigestThreadToMain>;

  constructor(
    data: DigestWriterThreadData,
    logger: { log(message: string): void; error(message: string): void },
    onTreeHead: (head: SignedTreeHead) => void = () => undefined,
    onTreeHeadsRefused: (reason: string) => void = () => undefined,
  ) {
    this.thread = new SupervisedThread<MainToDigestThread, DigestThreadToMain>({
      callerFilename: __filename,
      callerDirname: __dirname,
      entry: 'digest-writer.worker',
      workerData: data,
      label: 'audit digests',
      logger,
      onMessage: (message) => {
        this.thread.healthy();
        if ('treeHead' in message) onTreeHead(message.treeHead);
        else if ('treeHeadsRefused' in message) onTreeHeadsRefused(message.treeHeadsRefused);
        else if (message.log === 'error') logger.error(message.message);
        else logger.log(message.message);
      },
    });
  }

  start(): void {
    this.thread.start();
  }

  /** The thread writes the shutdown digest, closes its connections and exits. */
  stop(): Promise<void> {
    return this.thread.stop({ stop: true });
  }
}
