import { PostgresLease } from '@cbec/event-store';
import type { AuditContext } from '../audit-context';
import { stopWithShutdownDigest } from './digest-writer';
import type { DigestFollower } from './digest-writer-thread';
import { acceptedKeys, recordedRotations } from './tree/key-rotation';
import { keyIdOf, type SignedTreeHead } from './tree/tree-head';
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
  /** Asked on taking the lease: a reason not to sign (signingKeyRefusal), or null to go on. */
  refusal?: () => Promise<string | null>;
  /** Hears the reason when this server refuses to sign (`/health` turns red with it). */
  onRefused?: (reason: string) => void;
}

/**
 * Why this server must not sign into the shared digests and tree heads, or null: its key is neither the one
 * that signed the last stored head nor linked to it by a rotation recorded in the log (`audit rotate-key`).
 * One chain for every server: a server started with another key (CBEC_AUDIT_KEY_FILE unset or pointing
 * elsewhere) would sign digests and heads that `audit verify` rejects, in tables nobody may correct.
 */
export async function signingKeyRefusal(audit: AuditContext): Promise<string | null> {
  const last = await audit.latestTreeHead();
  const key = audit.signingKey().publicKey;
  if (!last || last.keyId === keyIdOf(key)) return null;
  const linked = acceptedKeys(key, await recordedRotations(audit.store)).some((k) => keyIdOf(k) === last.keyId);
  if (linked) return null;
  return `the signing key (id ${keyIdOf(key)}) is not the one that signed tree head ${last.treeSize} in the database (id ${last.keyId}), and no rotation recorded in the log links them: set CBEC_AUDIT_KEY_FILE to the key the other servers use, or record the change with \`audit rotate-key\``;
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
 * A server whose key the stored heads do not lead to (`refusal`) signs nothing and gives the lease up for
 * good, so that a server with the right key takes it.
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
      onAcquired: async () => {
        const refused = (await options.refusal?.()) ?? null;
        if (refused !== null) {
          options.logger.error(`audit digests and tree heads: NOT SIGNING: ${refused}`);
          options.onRefused?.(refused);
          // Not from inside the lease's own loop (stop waits for it): right after it.
          setImmediate(() => void this.lease.stop());
          return;
        }
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
