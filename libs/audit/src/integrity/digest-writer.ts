import type { ChainLink, EventStore } from '@cbec/event-store';
import { GENESIS_HASH } from '@cbec/event-store';
import { changedHeads, ChainHead, ChainHeads, headsRoot, signDigest, SignedDigest } from './digest';
import type { DigestLog } from './digest-log';
import type { SigningKey } from './signing-key';

export interface DigestWriterOptions {
  /** A digest every `every` events (CBEC_AUDIT_DIGEST_EVERY, default 1000). */
  every: number;
  now: () => Date;
  /** How often `start` looks at the log for new events (default 1000 ms). */
  followIntervalMs?: number;
  /** Where a failed look at the log is reported (the next look tries again). */
  logger?: { error(message: string): void };
}

export const DEFAULT_DIGEST_EVERY = 1000;
export const DEFAULT_DIGEST_FOLLOW_INTERVAL_MS = 1000;

/**
 * Keeps the chain heads of every stream as the log grows and writes a signed digest every N events and
 * at shutdown. The app follows the log with it (`start` on bootstrap, `stop` on shutdown); the CLI and
 * tests call `catchUp` + `writeNow` once.
 *
 * It follows by reading the log once a second, not by a live subscription: a digest is due every N
 * events, so nothing needs the heads sooner, and a subscription woken by every commit made the thread
 * that serves requests read each small batch of events as it was written.
 */
export class DigestWriter {
  private heads: ChainHeads = new Map();
  private position = 0;
  private sinceLast = 0;
  /** Heads as the digests in the table state them, and the seq they were accumulated to. */
  private baseline: { seq: number; heads: ChainHeads; position: number } = { seq: 0, heads: new Map(), position: 0 };
  private following: { stop(): void; done: Promise<void> } | null = null;
  private followState: 'live' | 'failed' | 'stopped' = 'stopped';
  /** Streams whose head moved since the last digest this writer wrote. */
  private readonly dirty = new Set<string>();
  private fullDiff = true;
  /** The baseline read from the table, once, before the first read of the log (the table may be a database's). */
  private loaded: Promise<void> | null = null;

  constructor(
    private readonly store: EventStore,
    private readonly log: DigestLog,
    private readonly key: SigningKey,
    private readonly options: DigestWriterOptions = { every: DEFAULT_DIGEST_EVERY, now: () => new Date() },
  ) {
    if (!Number.isInteger(options.every) || options.every < 1) {
      throw new Error(`digest interval must be a positive integer number of events, got ${options.every}`);
    }
  }

  /** Starts from the last digest in the table: its heads and position (a new writer, or one taking over the lease). */
  private load(): Promise<void> {
    return (this.loaded ??= (async () => {
      await this.reloadBaseline();
      this.heads = new Map(this.baseline.heads);
      this.position = this.baseline.position;
    })().catch((error: unknown) => {
      this.loaded = null; // tried again at the next look
      throw error;
    }));
  }

  /** Follows the log from the last digest's position: reads what is new every `followIntervalMs`. */
  start(): void {
    if (this.following) return;
    const interval = this.options.followIntervalMs ?? DEFAULT_DIGEST_FOLLOW_INTERVAL_MS;
    let stopped = false;
    let wake: (() => void) | null = null;
    let timer: NodeJS.Timeout | undefined;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        try {
          await this.catchUp();
          this.followState = 'live';
        } catch (error) {
          // A busy or briefly unreadable log is tried again at the next look; the state says so meanwhile.
          this.followState = 'failed';
          this.options.logger?.error(`audit digests: reading the log after position ${this.position} failed (${String(error)}); trying again`);
        }
        if (stopped) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, interval);
        });
      }
    };
    this.followState = 'live';
    this.following = {
      stop: () => {
        stopped = true;
        clearTimeout(timer);
        wake?.();
      },
      done: loop(),
    };
  }

  /** Reads the log up to its head (no subscription) so that `writeNow` covers everything stored. */
  async catchUp(): Promise<void> {
    await this.load();
    // Only the chain facts: a digest covers the hashes, which cover what is stored (the stored form, no
    // upcasting, where a store cannot leave the bodies out).
    const links = this.store.readChainLinks?.({ fromPosition: this.position }) ?? this.store.readAll({ fromPosition: this.position, upcast: false });
    for await (const link of links) if (this.observe(link)) await this.writeNow('interval');
  }

  /** Stops following and writes the shutdown digest (when events arrived since the last one). */
  async stop(): Promise<SignedDigest | null> {
    await this.halt();
    // Events stored since the last look: the shutdown digest covers everything stored by now.
    await this.catchUp();
    return this.writeNow('shutdown');
  }

  /**
   * Stops following and writes nothing more: a server that lost the `digest-writer` lease (another may be
   * writing already) leaves the rest to the new holder, which resumes from the last digest in the table.
   */
  async halt(): Promise<void> {
    const following = this.following;
    this.following = null;
    this.followState = 'stopped';
    if (following) {
      following.stop();
      await following.done;
    }
  }

  get subscriptionState(): string {
    return this.following ? this.followState : 'stopped';
  }

  /** Writes a digest of the heads seen so far, unless the table already covers this position. */
  async writeNow(reason: 'interval' | 'shutdown' | 'manual' = 'manual'): Promise<SignedDigest | null> {
    await this.load();
    for (;;) {
      // Another writer (a second process on the same folder, `audit digest` beside the server) chained a
      // digest meanwhile: diff against it. Read outside the append's transaction, which `make` cannot await.
      const last = await this.log.last();
      if ((last?.body.seq ?? 0) !== this.baseline.seq) {
        await this.reloadBaseline();
        this.fullDiff = true;
      }
      let stale = false;
      let changed: Record<string, ChainHead> = {};
      const written = await this.log.appendAfter((current) => {
        if ((current?.body.seq ?? 0) !== this.baseline.seq) {
          stale = true; // one more came between the look and the append: look again
          return null;
        }
        if (current && current.body.globalPosition >= this.position) return null;
        changed = this.fullDiff ? changedHeads(this.heads, this.baseline.heads) : this.dirtyHeads();
        return signDigest(this.key, {
          seq: (current?.body.seq ?? 0) + 1,
          globalPosition: this.position,
          streamCount: this.heads.size,
          headsRoot: headsRoot(current?.body.headsRoot ?? GENESIS_HASH, changed),
          changed,
          prevDigestHash: current?.digestHash ?? GENESIS_HASH,
          createdAt: this.options.now().toISOString(),
          reason,
        });
      });
      if (stale) continue;
      if (written) {
        for (const [stream, head] of Object.entries(changed)) this.baseline.heads.set(stream, head);
        this.baseline.seq = written.body.seq;
        this.baseline.position = this.position;
        this.sinceLast = 0;
        this.dirty.clear();
        this.fullDiff = false;
      }
      return written;
    }
  }

  /** The heads of the streams that moved since the last digest (cost: those streams, not all). */
  private dirtyHeads(): Record<string, ChainHead> {
    const changed: Record<string, ChainHead> = {};
    for (const stream of this.dirty) {
      const head = this.heads.get(stream)!;
      const before = this.baseline.heads.get(stream);
      if (!before || before.version !== head.version || before.hash !== head.hash) changed[stream] = { ...head };
    }
    return changed;
  }

  /** Takes in one event; says whether a digest is due (every `every` events). */
  private observe(e: ChainLink): boolean {
    if (e.globalPosition <= this.position) return false; // at-least-once delivery: a repeat changes nothing
    this.heads.set(e.streamId, { version: e.version, hash: e.hash });
    this.dirty.add(e.streamId);
    this.position = e.globalPosition;
    return ++this.sinceLast >= this.options.every;
  }

  private async reloadBaseline(): Promise<void> {
    const heads: ChainHeads = new Map();
    let seq = 0;
    let position = 0;
    for (const d of await this.log.all()) {
      for (const [stream, head] of Object.entries(d.body.changed)) heads.set(stream, head);
      seq = d.body.seq;
      position = d.body.globalPosition;
    }
    this.baseline = { seq, heads, position };
  }
}

/** Stops a following writer, which writes the shutdown digest, and says what it wrote or why it could not. */
export async function stopWithShutdownDigest(writer: DigestWriter, logger: { log(message: string): void; error(message: string): void }): Promise<void> {
  try {
    const digest = await writer.stop();
    if (digest) logger.log(`shutdown digest ${digest.body.seq} at position ${digest.body.globalPosition}`);
  } catch (e) {
    logger.error(`could not write the shutdown digest: ${(e as Error).message}`);
  }
}
