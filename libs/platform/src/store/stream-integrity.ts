import { computeEventHash, GENESIS_HASH, metadataForHash, type RecordedEvent } from '@cbec/event-store';
import { WorkflowError } from '../http/errors';

/** A stream whose hash chain does not hold: no command runs on it (503 integrity-violation). */
export class IntegrityViolation extends WorkflowError {
  readonly code = 'integrity-violation';
  readonly httpStatus = 503;
  constructor(
    readonly streamId: string,
    readonly version: number,
    readonly detail: string,
  ) {
    super(
      `the stored history of ${streamId} fails its integrity check at version ${version} (${detail}): no command runs on it until it is investigated (docs/auditing.md)`,
    );
  }
}

/** What a break looks like to whoever records security events. */
export interface IntegrityBreak {
  streamId: string;
  version: number;
  detail: string;
  detectedAt: string;
}

/** How many streams' verified heads are remembered (the least recently loaded are forgotten beyond it). */
const MAX_REMEMBERED = 100_000;

/**
 * Checks the hash chain of every stream the server loads before a command decides on it: each event's
 * hash recomputed from its fields, its link to the previous event, versions without gaps. A verified
 * prefix is remembered per stream (its last version and hash), so a later load checks only the events
 * after it, plus that the remembered event still has its hash: a rewrite with recomputed hashes, or a
 * truncation, of what was verified changes or removes that event. A break is final for the process:
 * the stream takes no command and `/health` answers 503 until the log is repaired and the server restarted.
 */
export class StreamIntegrity {
  private readonly verified = new Map<string, { version: number; hash: string }>();
  private readonly broken = new Map<string, IntegrityBreak>();
  private readonly listeners: ((b: IntegrityBreak) => void)[] = [];

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Called for each new break (the security log). */
  onBreak(listener: (b: IntegrityBreak) => void): void {
    this.listeners.push(listener);
  }

  breaks(): IntegrityBreak[] {
    return [...this.broken.values()];
  }

  /**
   * Throws IntegrityViolation unless `events` (the whole stream, in order) hold their chain.
   * `storedForm` re-reads the stream without upcasting, for an event whose upcast form no longer hashes.
   */
  async check(streamId: string, events: readonly RecordedEvent[], storedForm: () => Promise<RecordedEvent[]>): Promise<void> {
    const chain = this.start(streamId, storedForm);
    for (const event of events) await chain.next(event);
    chain.finish();
  }

  /**
   * The same check event by event, in version order, for a caller that does not keep the whole stream
   * (a customs year folded for an import): `next` for each event as it is read, then `finish`.
   */
  start(streamId: string, storedForm: () => Promise<RecordedEvent[]>): { next(event: RecordedEvent): Promise<void>; finish(): void } {
    const known = this.broken.get(streamId);
    if (known) throw new IntegrityViolation(streamId, known.version, known.detail);
    const remembered = this.verified.get(streamId);
    let tip = GENESIS_HASH;
    let expected = 0;
    let stored: RecordedEvent[] | null = null;
    return {
      next: async (e: RecordedEvent): Promise<void> => {
        if (remembered && expected <= remembered.version) {
          // The prefix verified before is not checked again, but its last event must still be the one verified.
          if (e.version === remembered.version) {
            if (e.hash !== remembered.hash)
              this.fail(streamId, remembered.version, `the event verified with hash ${remembered.hash} now has ${e.hash}: the stream was rewritten`);
            tip = remembered.hash;
          }
          expected = e.version + 1;
          return;
        }
        const i = expected;
        if (e.version !== i) this.fail(streamId, i, `expected version ${i}, found ${e.version}: an event was removed or moved`);
        if (e.prevHash !== tip) this.fail(streamId, i, `prevHash does not name the previous event: an event before it was removed, replaced or moved`);
        if (hashOf(e) !== e.hash) {
          // An upcast event is hashed in its stored form.
          stored ??= await storedForm();
          const original = stored[i];
          if (!original || original.eventId !== e.eventId || hashOf(original) !== e.hash) {
            this.fail(streamId, i, `the stored hash is not the hash of the stored event: it was edited`);
          }
        }
        tip = e.hash;
        expected = i + 1;
      },
      finish: (): void => {
        if (remembered && expected <= remembered.version) {
          this.fail(streamId, remembered.version, `the stream ends before version ${remembered.version}, which was verified: events were removed`);
        }
        if (expected > 0) this.remember(streamId, expected - 1, tip);
      },
    };
  }

  private remember(streamId: string, version: number, hash: string): void {
    this.verified.delete(streamId);
    this.verified.set(streamId, { version, hash });
    if (this.verified.size > MAX_REMEMBERED) this.verified.delete(this.verified.keys().next().value as string);
  }

  private fail(streamId: string, version: number, detail: string): never {
    const b: IntegrityBreak = { streamId, version, detail, detectedAt: this.now().toISOString() };
    this.broken.set(streamId, b);
    this.verified.delete(streamId);
    for (const listener of this.listeners) {
      try {
        listener(b);
      } catch {
        // A failing recorder must not hide the break: the refusal below still happens.
      }
    }
    throw new IntegrityViolation(streamId, version, detail);
  }
}

function hashOf(e: RecordedEvent): string {
  return computeEventHash({
    streamId: e.streamId,
    version: e.version,
    eventId: e.eventId,
    type: e.type,
    schemaVersion: e.schemaVersion,
    data: e.data,
    metadata: metadataForHash(e.metadata as unknown as Record<string, unknown>),
    prevHash: e.prevHash,
  });
}

/** `/health` while any loaded stream failed its check: 503, naming each. */
export class LogIntegrityFailing extends WorkflowError {
  readonly code = 'integrity-violation';
  readonly httpStatus = 503;
  constructor(readonly breaks: IntegrityBreak[]) {
    super(
      `the stored history of ${breaks.map((b) => `${b.streamId} (at version ${b.version}: ${b.detail})`).join('; ')} failed its integrity check when loaded: commands on it are refused (docs/auditing.md)`,
    );
  }
}

export function assertLogIntact(integrity: StreamIntegrity): void {
  const breaks = integrity.breaks();
  if (breaks.length) throw new LogIntegrityFailing(breaks);
}
