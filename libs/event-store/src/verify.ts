import type { EventStore, RecordedEvent } from './event-store.port';
import { canonicalJson, computeEventHash, GENESIS_HASH, hashFromCanonicalParts, metadataForHash } from './hash-chain';

export type ChainIssueKind =
  /** The stored hash is not the hash of the stored event: the event was edited. */
  | 'hash-mismatch'
  /** prevHash does not name the previous event of the stream: an event before it was removed, replaced or moved. */
  | 'broken-link'
  /** The stream's versions skip (an event was deleted) or go back (reordered). */
  | 'version-gap';

export interface ChainIssue {
  kind: ChainIssueKind;
  streamId: string;
  version: number;
  globalPosition: number;
  /** What the chain requires at this point (a hash, or the version as a string for version-gap). */
  expected: string;
  /** What is stored. */
  found: string;
}

export interface VerifyReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  /** The first issue in global order, if any. */
  firstBreak?: ChainIssue;
  /** Issues in global order, at most `maxIssues`. */
  issues: ChainIssue[];
  /** Issues found beyond `maxIssues`. */
  issuesOmitted: number;
  lastGlobalPosition: number;
}

export interface VerifyOptions {
  maxIssues?: number;
  /** Only streams with these prefixes. */
  streamPrefixes?: string[];
}

interface StreamTip {
  version: number;
  hash: string;
}

/** Everything verify needs from one stored event (not upcast). */
export type VerifiableEvent = Pick<
  RecordedEvent,
  'streamId' | 'version' | 'eventId' | 'type' | 'schemaVersion' | 'data' | 'metadata' | 'globalPosition' | 'prevHash' | 'hash'
>;

/**
 * Walks a log in global order, holding one tip per stream (never the events), and checks each event:
 * its hash recomputed from its stored fields, its prevHash against the stream's previous event, and
 * its version against the previous version + 1. Deleting the LAST event of a stream leaves a shorter
 * but valid chain: that is for the audit tools' digests, not this check.
 */
export class ChainVerifier {
  private readonly tips = new Map<string, StreamTip>();
  private readonly issues: ChainIssue[] = [];
  private omitted = 0;
  private events = 0;
  private lastPosition = 0;

  constructor(private readonly maxIssues = 100) {}

  check(event: VerifiableEvent, recomputedHash?: string): void {
    this.events++;
    this.lastPosition = event.globalPosition;
    const tip = this.tips.get(event.streamId);
    const expectedVersion = tip ? tip.version + 1 : 0;
    if (event.version !== expectedVersion) {
      this.report('version-gap', event, String(expectedVersion), String(event.version));
    }
    const expectedPrev = tip ? tip.hash : GENESIS_HASH;
    if (event.prevHash !== expectedPrev) this.report('broken-link', event, expectedPrev, event.prevHash);
    const actual =
      recomputedHash ??
      computeEventHash({
        streamId: event.streamId,
        version: event.version,
        eventId: event.eventId,
        type: event.type,
        schemaVersion: event.schemaVersion,
        data: event.data,
        metadata: metadataForHash(event.metadata),
        prevHash: event.prevHash,
      });
    if (actual !== event.hash) this.report('hash-mismatch', event, actual, event.hash);
    // Continue from what is stored, so one edit is reported once, not on every later event.
    this.tips.set(event.streamId, { version: event.version, hash: event.hash });
  }

  report(kind: ChainIssueKind, event: VerifiableEvent, expected: string, found: string): void {
    if (this.issues.length >= this.maxIssues) {
      this.omitted++;
      return;
    }
    this.issues.push({ kind, streamId: event.streamId, version: event.version, globalPosition: event.globalPosition, expected, found });
  }

  result(): VerifyReport {
    return {
      ok: this.issues.length === 0 && this.omitted === 0,
      eventsChecked: this.events,
      streamsChecked: this.tips.size,
      firstBreak: this.issues[0],
      issues: [...this.issues],
      issuesOmitted: this.omitted,
      lastGlobalPosition: this.lastPosition,
    };
  }
}

/** Verify any store through the port (streams `readAll` without upcasting). */
export async function verifyEventStore(store: Pick<EventStore, 'readAll'>, options: VerifyOptions = {}): Promise<VerifyReport> {
  const verifier = new ChainVerifier(options.maxIssues);
  const filter = options.streamPrefixes ? { streamPrefixes: options.streamPrefixes } : undefined;
  for await (const event of store.readAll({ upcast: false, filter })) verifier.check(event);
  return verifier.result();
}

/** Verify a stream of stored events (e.g. an export), in global order. */
export async function verifyEvents(events: AsyncIterable<VerifiableEvent> | Iterable<VerifiableEvent>, options: VerifyOptions = {}): Promise<VerifyReport> {
  const verifier = new ChainVerifier(options.maxIssues);
  for await (const event of events) verifier.check(event);
  return verifier.result();
}

/** One stored row as a fast path reads it: data and metadata as the stored text. */
export type StoredEventRow = [
  globalPosition: number,
  streamId: string,
  version: number,
  eventId: string,
  type: string,
  schemaVersion: number,
  data: string,
  metadata: string,
  prevHash: string,
  hash: string,
];

/**
 * Checks one stored row byte for byte: the stored JSON is already canonical, so the hash is first taken
 * over the stored text; only on a mismatch is it recomputed from the parsed value (so a byte-level
 * re-formatting with the same meaning is not reported, exactly as `verifyEventStore` would judge it).
 */
export function checkStoredRow(verifier: ChainVerifier, row: StoredEventRow): void {
  const [globalPosition, streamId, version, eventId, type, schemaVersion, dataText, metadataText, prevHash, hash] = row;
  const fields = { streamId, version, eventId, type, schemaVersion, prevHash };
  let recomputed = hashFromCanonicalParts(fields, dataText, metadataText);
  let data: unknown;
  let metadata: unknown;
  // The verifier is handed the recomputed hash and never reads data/metadata: only a mismatch pays for parsing.
  if (recomputed !== hash) {
    try {
      data = JSON.parse(dataText);
      metadata = JSON.parse(metadataText);
      recomputed = hashFromCanonicalParts(fields, canonicalJson(data), canonicalJson(metadata));
    } catch {
      // Unparseable stored JSON: keep the hash over the stored text, which cannot match.
    }
  }
  verifier.check({ globalPosition, streamId, version, eventId, type, schemaVersion, data, metadata: metadata as never, prevHash, hash }, recomputed);
}
