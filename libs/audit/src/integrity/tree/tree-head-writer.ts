import { GENESIS_HASH } from '@cbec/event-store';
import type { SigningKey } from '../signing-key';
import { leafOf, type LeafSource } from './leaf-source';
import { Frontier } from './merkle';
import type { TreeHeadLog } from './tree-head-log';
import { keyIdOf, signTreeHead, type SignedTreeHead } from './tree-head';
import type { WitnessFile } from './witness';

export interface TreeHeadWriterOptions {
  now: () => Date;
  /** CBEC_AUDIT_WITNESS_DIR: every head is appended there too. */
  witness?: WitnessFile;
  /** Further witnesses (the Kafka topic): told every head, best effort. */
  publish?: (head: SignedTreeHead) => void;
  /** Least time between two heads under load (default 1000 ms). */
  minIntervalMs?: number;
  /** How often `start` looks at the log for new events (default 250 ms). */
  pollIntervalMs?: number;
  logger?: { log(message: string): void; error(message: string): void };
}

export const DEFAULT_TREE_HEAD_INTERVAL_MS = 1000;
export const DEFAULT_TREE_POLL_INTERVAL_MS = 250;

/** The log does not extend a head already published: no head is signed over it. */
export class TreeHeadRefused extends Error {
  readonly code = 'tree-head-refused';
}

/**
 * Keeps the Merkle tree over the log as it grows (the frontier: O(log n) per event) and signs a tree
 * head after the events of a commit, at most once per `minIntervalMs` under load; each head goes to
 * the tree-head log (`audit-tree.db`, or PostgreSQL's `audit_tree_heads`), the witness file and the publisher.
 *
 * `open` refuses (TreeHeadRefused) a log that does not extend what was published: the last stored head
 * must still describe the log (its root from the stored frontier, its last event still at its position),
 * and the witness's last head must be a prefix of the log. `open({ full: true })` (the CLI's re-signing)
 * recomputes the tree from every event instead of trusting the stored frontier.
 */
export class TreeHeadWriter {
  private frontier = new Frontier();
  private position = 0;
  private lastEventHash = GENESIS_HASH;
  private lastSigned: SignedTreeHead | null = null;
  private lastSignedAt = 0;
  private opened = false;
  private following: { stop(): void; done: Promise<void> } | null = null;

  constructor(
    private readonly source: LeafSource,
    private readonly log: TreeHeadLog,
    private readonly key: SigningKey,
    private readonly options: TreeHeadWriterOptions,
  ) {}

  get size(): number {
    return this.frontier.size;
  }

  get lastHead(): SignedTreeHead | null {
    return this.lastSigned;
  }

  /** Whether the key now signing is not the one the last head was signed with (a rotation, recorded or not). */
  get keyChanged(): boolean {
    return this.lastSigned !== null && this.lastSigned.keyId !== keyIdOf(this.key.publicKey);
  }

  async open(mode: { full?: boolean } = {}): Promise<void> {
    const stored = await this.log.last();
    const witnessed = this.options.witness?.last() ?? null;
    this.lastSigned = stored?.head ?? null;
    const storedAgreesWithWitness =
      !witnessed || (stored !== null && stored.head.treeSize === witnessed.treeSize && stored.head.rootHash === witnessed.rootHash);
    if (stored && !mode.full && storedAgreesWithWitness) {
      const frontier = Frontier.fromJSON(stored.frontier);
      if (frontier.size !== stored.head.treeSize || frontier.root().toString('hex') !== stored.head.rootHash) {
        throw new TreeHeadRefused(`${this.log.where}: the stored frontier does not give the root of head ${stored.head.treeSize}: the tree state was edited`);
      }
      if (this.source.canLookUp && stored.head.treeSize > 0) {
        const found = this.source.eventHashAt(stored.lastPosition);
        if (found === null) {
          throw new TreeHeadRefused(
            `the log no longer has global position ${stored.lastPosition}, where tree head ${stored.head.treeSize} ended: the log was truncated`,
          );
        }
        if (found !== stored.lastEventHash) {
          throw new TreeHeadRefused(
            `the log's event at global position ${stored.lastPosition} is not the one tree head ${stored.head.treeSize} ended with (hash ${found}, signed ${stored.lastEventHash}): the log was rewritten`,
          );
        }
      }
      this.frontier = frontier;
      this.position = stored.lastPosition;
      this.lastEventHash = stored.lastEventHash;
      this.opened = true;
      return;
    }
    // No usable state (a fresh folder, a lost or disagreeing tree-head log, or a full check): every event again.
    const checks = [stored?.head, witnessed].filter((h): h is SignedTreeHead => !!h).sort((a, b) => a.treeSize - b.treeSize);
    const seen = new Map<number, string>();
    const note = (): void => {
      for (const h of checks) if (h.treeSize === this.frontier.size) seen.set(h.treeSize, this.frontier.root().toString('hex'));
    };
    this.frontier = new Frontier();
    this.position = 0;
    this.lastEventHash = GENESIS_HASH;
    note();
    for await (const f of this.source.read(0)) {
      this.frontier.append(leafOf(f));
      this.position = f.globalPosition;
      this.lastEventHash = f.hash;
      note();
    }
    for (const h of checks) {
      const which = h === witnessed ? 'the witness' : this.log.where;
      if (!seen.has(h.treeSize)) {
        throw new TreeHeadRefused(
          `the log holds ${this.frontier.size} events, fewer than the ${h.treeSize} of the last tree head in ${which}: the log was truncated`,
        );
      }
      if (seen.get(h.treeSize) !== h.rootHash) {
        throw new TreeHeadRefused(
          `the log's first ${h.treeSize} events give root ${seen.get(h.treeSize)}, not the ${h.rootHash} of the last tree head in ${which}: the log was rewritten`,
        );
      }
    }
    this.opened = true;
  }

  /** Appends the events stored since the last look. */
  async catchUp(): Promise<void> {
    if (!this.opened) throw new Error('TreeHeadWriter: open() first');
    for await (const f of this.source.read(this.position)) {
      this.frontier.append(leafOf(f));
      this.position = f.globalPosition;
      this.lastEventHash = f.hash;
    }
  }

  /** Signs a head when the tree grew since the last one (or none was ever signed), whatever the interval. */
  async signNow(): Promise<SignedTreeHead | null> {
    if (!this.opened) throw new Error('TreeHeadWriter: open() first');
    if (this.lastSigned && this.lastSigned.treeSize === this.frontier.size) return null;
    const head = signTreeHead(this.key, {
      treeSize: this.frontier.size,
      rootHash: this.frontier.root().toString('hex'),
      timestamp: this.options.now().toISOString(),
    });
    const state = { head, frontier: this.frontier.toJSON(), lastPosition: this.position, lastEventHash: this.lastEventHash };
    this.lastSignedAt = Date.now();
    // Another writer signed this size or a larger one meanwhile (`audit digest` beside the server): its head
    // stands, this one is neither stored nor published; the next head, over more events, follows it.
    if (!(await this.log.append(state))) return null;
    this.lastSigned = head;
    try {
      this.options.witness?.append(head);
    } catch (e) {
      this.options.logger?.error(
        `audit tree heads: could not append head ${head.treeSize} to the witness file ${this.options.witness?.file}: ${(e as Error).message}`,
      );
    }
    try {
      this.options.publish?.(head);
    } catch (e) {
      this.options.logger?.error(`audit tree heads: could not publish head ${head.treeSize}: ${(e as Error).message}`);
    }
    return head;
  }

  /**
   * Stops following and signs nothing more: a server that lost the `digest-writer` lease leaves the next
   * head to the new holder, which resumes from the last head in the table.
   */
  async halt(): Promise<void> {
    const following = this.following;
    this.following = null;
    if (following) {
      following.stop();
      await following.done;
    }
  }

  /** Follows the log: a head after new events, at most once per `minIntervalMs`. */
  start(): void {
    if (this.following) return;
    const poll = this.options.pollIntervalMs ?? DEFAULT_TREE_POLL_INTERVAL_MS;
    const least = this.options.minIntervalMs ?? DEFAULT_TREE_HEAD_INTERVAL_MS;
    let stopped = false;
    let wake: (() => void) | null = null;
    let timer: NodeJS.Timeout | undefined;
    const loop = async (): Promise<void> => {
      while (!stopped) {
        try {
          await this.catchUp();
          if (Date.now() - this.lastSignedAt >= least) await this.signNow();
        } catch (error) {
          this.options.logger?.error(`audit tree heads: reading the log after position ${this.position} failed (${String(error)}); trying again`);
        }
        if (stopped) break;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, poll);
        });
      }
    };
    this.following = {
      stop: () => {
        stopped = true;
        clearTimeout(timer);
        wake?.();
      },
      done: loop(),
    };
  }

  /** Stops following and signs the last head over everything stored by now. */
  async stop(): Promise<SignedTreeHead | null> {
    await this.halt();
    if (!this.opened) return null;
    await this.catchUp();
    return this.signNow();
  }
}

/**
 * Opens and starts a writer for the server, saying why when it refuses: a log that does not extend the
 * published heads gets no new head (the operators and `audit verify --trusted-head` take it from there).
 * `onRefused` hears the reason: the server's `/health` answers 503 with it until the log is investigated.
 */
export async function startTreeHeads(
  writer: TreeHeadWriter,
  logger: { log(message: string): void; error(message: string): void },
  onRefused: (reason: string) => void = () => undefined,
): Promise<boolean> {
  try {
    await writer.open();
  } catch (e) {
    logger.error(`audit tree heads: NOT SIGNING: ${(e as Error).message}`);
    onRefused((e as Error).message);
    return false;
  }
  if (writer.keyChanged) {
    logger.log(
      `audit tree heads: the signing key differs from the one that signed head ${writer.lastHead!.treeSize}; heads verify across the change only if it was recorded with \`audit rotate-key\``,
    );
  }
  writer.start();
  return true;
}

/** Stops a following writer, which signs the last head, and says what it signed or why it could not. */
export async function stopTreeHeads(writer: TreeHeadWriter, logger: { log(message: string): void; error(message: string): void }): Promise<void> {
  try {
    const head = await writer.stop();
    if (head) logger.log(`shutdown tree head: ${head.treeSize} events, root ${head.rootHash}`);
  } catch (e) {
    logger.error(`could not sign the shutdown tree head: ${(e as Error).message}`);
  }
}
