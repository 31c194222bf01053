import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { AggregateStore, FOLLOWS_LOG, WorkflowError } from '@cbec/platform';
import { SqliteEventStore } from '@cbec/event-store';
import { AuditContext } from '../audit-context';
import { DigestFollower, DigestWriterThread } from '../integrity/digest-writer-thread';
import type { SignedTreeHead } from '../integrity/tree/tree-head';
import type { SecurityEvent } from '../integrity/security-log';
import { inlineDigestFollower, LeasedDigestWriter, signingKeyRefusal } from '../integrity/leased-digest-writer';

/** `/health` while the tree-head writer refuses to sign (the log does not extend a published head): 503. */
export class TreeHeadsRefused extends WorkflowError {
  readonly code = 'tree-head-refused';
  readonly httpStatus = 503;
  constructor(readonly reason: string) {
    super(`no tree head is signed over this log: ${reason} (docs/auditing.md, "When the server refuses to sign")`);
  }
}

/**
 * Runs the DigestWriter in the server: it follows the log and signs a digest every N events
 * (CBEC_AUDIT_DIGEST_EVERY, default 1000), and a last one when the app shuts down (the app must call
 * `enableShutdownHooks()` so that SIGTERM reaches here). On a SQLite log it runs in its own thread
 * (DigestWriterThread), as the projector and the approval process's tracker do; on another store, here.
 * With DATABASE_URL the digests and tree heads are the database's, and only the holder of the
 * `digest-writer` lease writes them (LeasedDigestWriter): one writer among the servers on the database.
 * A process that does not follow the log (`'FOLLOWS_LOG'` false) signs nothing.
 */
@Injectable()
export class AuditDigestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditDigests');
  private follower: DigestFollower | null = null;

  /** Why the tree-head writer refused to sign at start, or null while it signs. */
  private treeHeadRefusal: string | null = null;

  constructor(
    @Inject(AuditContext) private readonly audit: AuditContext,
    @Optional() @Inject(FOLLOWS_LOG) private readonly followsLog: boolean = true,
    @Optional() @Inject(AggregateStore) private readonly aggregates?: AggregateStore,
  ) {}

  onApplicationBootstrap(): void {
    // Every process records the breaks it finds itself: it is the one refusing commands on the stream.
    this.aggregates?.integrity.onBreak((b) => {
      this.logger.error(`SECURITY integrity-violation: ${b.streamId} at version ${b.version}: ${b.detail}; commands on it are refused`);
      this.recordSecurityEvent({ at: b.detectedAt, kind: 'integrity-violation', subject: `${b.streamId}@${b.version}`, detail: b.detail });
    });
    // A cluster worker other than the first: the first one signs the digests of the shared log.
    if (!this.followsLog) return;
    // The key exists before the thread starts: one generation, in one place, on a fresh data folder.
    this.audit.signingKey();
    if (this.audit.files.keyInDataDir) {
      this.logger.warn(
        `CBEC_AUDIT_KEY_FILE is not set: the audit signing key is kept in the data folder (${this.audit.files.privateKey}), fit for development only; anyone who can rewrite the folder can re-sign it (docs/operations.md)`,
      );
    }
    const store = this.audit.store;
    const databaseUrl = this.audit.places.databaseUrl;
    if (!this.audit.places.witnessDir)
      this.logger.warn(
        `CBEC_AUDIT_WITNESS_DIR is not set: signed tree heads are kept in the ${databaseUrl ? 'database' : 'data folder'} alone (docs/operations.md)`,
      );
    this.follower = databaseUrl
      ? new LeasedDigestWriter(() => this.inline(), {
          connectionString: databaseUrl,
          logger: this.logger,
          refusal: () => signingKeyRefusal(this.audit),
          onRefused: (reason) => this.refused(reason),
        })
      : store instanceof SqliteEventStore
        ? new DigestWriterThread(
            {
              eventsFile: store.file,
              dataDir: this.audit.files.dataDir,
              every: this.audit.digestEvery,
              clockOffsetMs: this.audit.now().getTime() - Date.now(),
              places: this.audit.places,
            },
            this.logger,
            (head) => this.published(head),
            (reason) => this.refused(reason),
          )
        : this.inline();
    this.follower.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const follower = this.follower;
    this.follower = null;
    try {
      await follower?.stop();
    } finally {
      await this.audit.close();
    }
  }

  private inline() {
    return inlineDigestFollower(this.audit, {
      logger: this.logger,
      publish: (head) => this.published(head),
      refused: (reason) => this.refused(reason),
    });
  }

  /** Throws TreeHeadsRefused while the tree-head writer refuses to sign: `/health` turns red with the reason. */
  assertSigning(): void {
    if (this.treeHeadRefusal !== null) throw new TreeHeadsRefused(this.treeHeadRefusal);
  }

  /** A refusal is a security event: recorded once, with the reason, beside the integrity breaks. */
  private refused(reason: string): void {
    this.treeHeadRefusal = reason;
    this.recordSecurityEvent({ at: this.audit.now().toISOString(), kind: 'tree-head-refused', subject: 'audit-tree', detail: reason });
  }

  private recordSecurityEvent(event: SecurityEvent): void {
    this.audit
      .security()
      .record(event)
      .catch((error: unknown) => this.logger.error(`security event ${event.kind} not written to the security log: ${(error as Error).message}`));
  }

  /** Each signed tree head, as the writer reports it: handed to the further witnesses (the Kafka topic). */
  private published(head: SignedTreeHead): void {
    for (const listener of this.listeners) listener(head);
  }

  private readonly listeners: ((head: SignedTreeHead) => void)[] = [];

  /** Tells `listener` every tree head signed from now on (best effort: a throwing listener is logged). */
  onTreeHead(listener: (head: SignedTreeHead) => void): void {
    this.listeners.push((head) => {
      try {
        listener(head);
      } catch (e) {
        this.logger.error(`publishing tree head ${head.treeSize} failed: ${(e as Error).message}`);
      }
    });
  }
}
