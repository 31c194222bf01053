import { PostgresLease } from '@cbec/event-store';
import type { AuditContext } from '../audit-context';
import { stopWithShutdownDigest } from './digest-writer';
import type { DigestFollower } from './digest-writer-thread';
import type { SignedTreeHead } from './tree/tree-head';
import { startTreeHeads, stopTreeHeads } from './tree/tree-head-writer';

/** The lease's name: one digest and tree-head writer per database (`PostgresLease` keys its advisory lock by it). */
export const DIGEST_WRITER_LEASE = 'digest-writer';

type Logger = { log(message: string): void; error(message: string): void };

export interface InlineDigestFollowerOptions {
  logger: Logger;
  /** Each signed tree head (the further witnesses: the Kafka topic). */
  publish?: (head: SignedTreeHead) => void;
  /** Why the tree-head writer refused to sign (`/health` turns red with it). */
  refused?: (reason: string) => void;
  followIntervalMs?: number;
  treeHeadIntervalMs?: number;
  treePollIntervalMs?: number;
}

/** A DigestFollower that can also be dropped without writing anything more (a lost lease). */
export interface HaltableDigestFollower extends DigestFollower {
  /** Stops following and writes nothing: no shutdown digest, no last tree head. */
  halt(): Promise<void>;
}

/** The digest and tree-head writers on the caller's thread (a store other than SQLite: reads over the network). */
export function inlineDigestFollower(audit: AuditContext, options: InlineDigestFollowerOptions): HaltableDigestFollower {
  const { logger } = options;
  const writer = audit.digestWriter({ logger, followIntervalMs: options.followIntervalMs });
  const tree = audit.treeHeadWriter({
    logger,
    publish: options.publish,
    minIntervalMs: options.treeHeadIntervalMs,
    pollIntervalMs: options.treePollIntervalMs,
  });
  // The tree-head writer starts following once it has opened (a read of the log: over the network on
  // PostgreSQL); a stop that comes meanwhile waits for that, or the writer would follow a closed store.
  let opening: Promise<boolean> = Promise.resolve(false);
  return {
    start: () => {
      writer.start();
      opening = startTreeHeads(tree.writer, logger, options.refused);
    },
    stop: async () => {
      await stopWithShutdownDigest(writer, logger);
      await opening;
      await stopTreeHeads(tree.writer, logger);
      tree.close();
    },
    halt: async () => {
      await writer.halt();
      await opening;
      await tree.writer.halt();
      tree.close();
    },
  };
}

export interface LeasedDigestWriterOptions {
  connectionString: string;
  logger: Logger;
  /** How often a server without the lease tries to take it (ms, default 1000): the takeover time after a holder dies. */
  leaseIntervalMs?: number;
}

/**
 * The digest and tree-head writers of a server among several on one PostgreSQL database: they run in
 * exactly one of them, the holder of the `digest-writer` lease (a session advisory lock, `PostgresLease`),
 * and write into the database's `audit_digests` and `audit_tree_heads`. Each holder starts new writers,
 * which resume from the last digest and tree head stored (whoever wrote them). When the holder dies its lock
 * goes with its connection and the next server to try takes over; a holder that loses the lease stops at
 * once and writes nothing more (the new holder may be writing already); one that shuts down writes its
 * shutdown digest and last head, then lets the lease go. Appends serialise in the database and refuse a
 * digest after a stale predecessor or a head no larger than the last, so a moment of overlap forks nothing.
 */
export class LeasedDigestWriter implements DigestFollower {
  private running: HaltableDigestFollower | null = null;
  private stopping = false;
  private readonly lease: PostgresLease;

  constructor(open: () => HaltableDigestFollower, options: LeasedDigestWriterOptions) {
    this.lease = new PostgresLease({
      connectionString: options.connectionString,
      name: DIGEST_WRITER_LEASE,
      intervalMs: options.leaseIntervalMs,
      logger: options.logger,
      onAcquired: () => {
        const follower = open();
        this.running = follower;
        follower.start();
      },
      onReleased: async () => {
        const follower = this.running;
        this.running = null;
        await (this.stopping ? follower?.stop() : follower?.halt());
      },
    });
  }

  /** Whether this server writes the digests and tree heads now. */
  get writing(): boolean {
    return this.running !== null;
  }

  start(): void {
    this.lease.start();
  }

  /** A holder writes its shutdown digest and last tree head, then lets the lease go. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.lease.stop();
  }
}
