import { ChainVerifier, canonicalJson, type ChainIssue, type EventStore, type VerifiableEvent } from '@cbec/event-store';
import { hashOfParts } from './hash-parts';
import { ROWS_PER_CHUNK, STORED_ENVELOPE_SQL } from './stored-envelope';
import { hash as oneShotHash } from 'node:crypto';
import Database from 'better-sqlite3';
import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import { checkDigestChain, digestHeads, type ChainHeads, type DigestChainBreak, type SignedDigest } from './digest';
import { stitchRanges, verifyRange, type RangeResult } from './verify-range';
import { availableParallelism } from 'node:os';
import type { TreeBreakKind, TreeReport } from './tree/verify-tree';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

export { hashOfParts };

const sha256 = (text: string): string => oneShotHash('sha256', text, 'hex');

/** Every kind of problem `verify` names. */
export type BreakKind =
  | ChainIssue['kind']
  /** Global positions skip: events were removed from the middle of the log. */
  | 'position-gap'
  /** A stored event whose JSON cannot be read at all. */
  | 'unreadable-event'
  | DigestChainBreak['kind']
  /** A signed digest names a chain head (stream, version, hash) the log does not have: the stream was rewritten. */
  | 'digest-head-mismatch'
  /** A signed digest names a version the log no longer has: the stream (or the log's tail) was truncated. */
  | 'digest-head-missing'
  /** The last signed digest covers a global position beyond the log's head: the log was truncated. */
  | 'log-truncated'
  | TreeBreakKind;

export interface AuditBreak {
  kind: BreakKind;
  streamId?: string;
  version?: number;
  globalPosition?: number;
  digestSeq?: number;
  expected?: string;
  found?: string;
  detail: string;
}

export interface AuditVerifyReport {
  ok: boolean;
  eventsChecked: number;
  streamsChecked: number;
  headPosition: number;
  /** The first chain break of each stream (stream, version, expected vs found hash). */
  firstBreakByStream: Record<string, AuditBreak>;
  breaks: AuditBreak[];
  breaksOmitted: number;
  digests: {
    checked: number;
    lastSeq: number;
    lastPosition: number;
    /** Events stored after the last digest: not yet covered by a signature (not a break). */
    eventsAfterLastDigest: number;
    publicKey: string;
  };
  /** The Merkle tree over the log, its stored heads and the trusted head (docs/auditing.md). */
  tree?: TreeReport;
}

/** One stored event as read for verification: hashes are recomputed over the stored (canonical) text. */
export interface StoredRow {
  globalPosition: number;
  streamId: string;
  version: number;
  eventId: string;
  type: string;
  schemaVersion: number;
  dataText: string;
  metadataText: string;
  prevHash: string;
  hash: string;
}

/**
 * Walks the log once in global order and checks: each stream's hash chain (recomputed hash, link to the
 * previous event, versions without gaps: the event store's ChainVerifier), the global positions without
 * gaps, and every signed digest — its signature with the trusted public key, its own chain, and that the
 * log still holds each stream head the digests state (a truncated or consistently rewritten log cannot
 * hold them). Reports every break it finds.
 */
export class AuditVerifier {
  private readonly chain: ChainVerifier;
  private readonly breaks: AuditBreak[] = [];
  private omitted = 0;
  private lastPosition = 0;
  private events = 0;
  private readonly heads: ChainHeads;
  private readonly lastDigest: SignedDigest | null;
  private readonly seen = new Set<string>();

  constructor(
    private readonly digests: readonly SignedDigest[],
    private readonly publicKey: KeyObject | readonly KeyObject[],
    private readonly publicKeySource: string,
    /** SQLite hands out positions 1, 2, 3...; EventStoreDB's commit positions are not contiguous. */
    private readonly contiguousPositions = true,
    private readonly maxBreaks = 1000,
  ) {
    this.chain = new ChainVerifier(maxBreaks);
    const { breaks, heads } = checkDigestChain(digests, publicKey);
    for (const b of breaks) this.add({ kind: b.kind, digestSeq: b.seq, expected: b.expected, found: b.found, detail: b.detail });
    this.heads = heads;
    this.lastDigest = digests.length ? digests[digests.length - 1] : null;
  }

  checkRow(row: StoredRow): void {
    const fields = {
      streamId: row.streamId,
      version: row.version,
      eventId: row.eventId,
      type: row.type,
      schemaVersion: row.schemaVersion,
      prevHash: row.prevHash,
    };
    let recomputed = hashOfParts(fields, row.dataText, row.metadataText);
    let data: unknown = null;
    let metadata: unknown = null;
    if (recomputed !== row.hash) {
      // Only a mismatch pays for parsing: the stored text may be a re-formatting with the same meaning.
      try {
        data = JSON.parse(row.dataText);
        metadata = JSON.parse(row.metadataText);
        recomputed = hashOfParts(fields, canonicalJson(data), canonicalJson(metadata));
      } catch (e) {
        this.add({
          kind: 'unreadable-event',
          streamId: row.streamId,
          version: row.version,
          globalPosition: row.globalPosition,
          detail: `event ${row.eventId} at ${row.streamId}@${row.version}: stored JSON cannot be parsed (${(e as Error).message})`,
        });
      }
    }
    this.checkEvent(
      {
        globalPosition: row.globalPosition,
        streamId: row.streamId,
        version: row.version,
        eventId: row.eventId,
        type: row.type,
        schemaVersion: row.schemaVersion,
        data,
        metadata: metadata as never,
        prevHash: row.prevHash,
        hash: row.hash,
      },
      recomputed,
    );
  }

  checkEvent(event: VerifiableEvent, recomputedHash?: string): void {
    this.events++;
    const expectedPosition = this.lastPosition + 1;
    if (this.contiguousPositions && event.globalPosition !== expectedPosition) {
      const missing = event.globalPosition - expectedPosition;
      this.add({
        kind: 'position-gap',
        globalPosition: event.globalPosition,
        expected: String(expectedPosition),
        found: String(event.globalPosition),
        detail:
          missing > 0
            ? `global positions ${expectedPosition}..${event.globalPosition - 1} are missing (${missing} event(s) removed) before ${event.streamId}@${event.version}`
            : `global position ${event.globalPosition} does not follow ${this.lastPosition}`,
      });
    }
    this.lastPosition = Math.max(this.lastPosition, event.globalPosition);
    this.chain.check(event, recomputedHash);
    const head = this.heads.get(event.streamId);
    if (head && head.version === event.version) {
      this.seen.add(event.streamId);
      if (head.hash !== event.hash) {
        this.add({
          kind: 'digest-head-mismatch',
          streamId: event.streamId,
          version: event.version,
          globalPosition: event.globalPosition,
          expected: head.hash,
          found: event.hash,
          detail: `the signed digests state ${event.streamId}@${event.version} has hash ${head.hash}; the log's event has ${event.hash}: the stream was rewritten`,
        });
      }
    }
  }

  result(): AuditVerifyReport {
    const chain = this.chain.result();
    const breaks: AuditBreak[] = chain.issues.map((i) => ({
      kind: i.kind,
      streamId: i.streamId,
      version: i.version,
      globalPosition: i.globalPosition,
      expected: i.expected,
      found: i.found,
      detail: describeChainIssue(i),
    }));
    for (const [streamId, head] of this.heads) {
      if (this.seen.has(streamId)) continue;
      breaks.push({
        kind: 'digest-head-missing',
        streamId,
        version: head.version,
        expected: head.hash,
        found: 'absent',
        detail: `the signed digests state ${streamId} reached version ${head.version}; the log has no such event: the stream or the log's tail was removed`,
      });
    }
    const lastPosition = this.lastDigest?.body.globalPosition ?? 0;
    if (this.lastDigest && lastPosition > this.lastPosition) {
      breaks.push({
        kind: 'log-truncated',
        digestSeq: this.lastDigest.body.seq,
        expected: String(lastPosition),
        found: String(this.lastPosition),
        detail: `digest ${this.lastDigest.body.seq} was signed at global position ${lastPosition}; the log ends at ${this.lastPosition}`,
      });
    }
    const all = [...this.breaks, ...breaks].sort((a, b) => (a.globalPosition ?? Infinity) - (b.globalPosition ?? Infinity));
    const firstBreakByStream: Record<string, AuditBreak> = {};
    for (const b of all) if (b.streamId && !firstBreakByStream[b.streamId]) firstBreakByStream[b.streamId] = b;
    const omitted = this.omitted + chain.issuesOmitted;
    return {
      ok: all.length === 0 && omitted === 0,
      eventsChecked: this.events,
      streamsChecked: chain.streamsChecked,
      headPosition: this.lastPosition,
      firstBreakByStream,
      breaks: all,
      breaksOmitted: omitted,
      digests: {
        checked: this.digests.length,
        lastSeq: this.lastDigest?.body.seq ?? 0,
        lastPosition,
        eventsAfterLastDigest: Math.max(0, this.lastPosition - lastPosition),
        publicKey: this.publicKeySource,
      },
    };
  }

  private add(b: AuditBreak): void {
    if (this.breaks.length >= this.maxBreaks) this.omitted++;
    else this.breaks.push(b);
  }
}

function describeChainIssue(i: ChainIssue): string {
  switch (i.kind) {
    case 'hash-mismatch':
      return `${i.streamId}@${i.version}: the stored hash is not the hash of the stored event (edited); recomputed ${i.expected}, stored ${i.found}`;
    case 'broken-link':
      return `${i.streamId}@${i.version}: prevHash does not name the previous event of the stream (an event before it was removed, replaced or moved)`;
    case 'version-gap':
      return `${i.streamId}: expected version ${i.expected}, found ${i.found} (an event was removed or events were reordered)`;
  }
}

type RawRow = [number, string, number, string, string, number, string, string, string, string];

/** A row of the events table as read raw (columns in the order of the queries below). */
function storedRow(r: RawRow): StoredRow {
  return {
    globalPosition: r[0],
    streamId: r[1],
    version: r[2],
    eventId: r[3],
    type: r[4],
    schemaVersion: r[5],
    dataText: r[6],
    metadataText: r[7],
    prevHash: r[8],
    hash: r[9],
  };
}

/** The stored rows of a SQLite event log, in global order, through a read-only connection of its own. */
export function* sqliteRows(file: string, fromPosition = 0, toPosition = Number.MAX_SAFE_INTEGER): Generator<StoredRow> {
  if (!existsSync(file)) throw new Error(`no event log at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const stmt = db
      .prepare(
        `SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, prev_hash, hash
         FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position`,
      )
      .raw(true);
    for (const r of stmt.iterate(fromPosition, toPosition) as IterableIterator<RawRow>) {
      yield storedRow(r);
    }
  } finally {
    db.close();
  }
}

/**
 * Verifies a SQLite log file directly (the embedded default), yielding to the event loop every
 * `yieldEvery` rows so that a server answering `GET /audit/verify` keeps serving meanwhile.
 */
export async function verifySqliteLog(
  file: string,
  digests: readonly SignedDigest[],
  publicKey: KeyObject | readonly KeyObject[],
  publicKeySource: string,
  yieldEvery = 20_000,
): Promise<AuditVerifyReport> {
  if (!existsSync(file)) throw new Error(`no event log at ${file}`);
  const verifier = new AuditVerifier(digests, publicKey, publicKeySource);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    // One read transaction: every chunk sees the same log, across the pauses for the event loop.
    db.exec('BEGIN');
    const end = (db.prepare('SELECT max(global_position) FROM events').pluck().get() as number | null) ?? 0;
    // The envelope assembled by SQLite (stored-envelope.ts); a row whose envelope is absent or does not
    // hash to the stored hash is read in full and judged by `checkRow`, as it always was.
    const chunk = db
      .prepare(
        `SELECT global_position, stream_id, version, prev_hash, hash, ${STORED_ENVELOPE_SQL}
         FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position`,
      )
      .raw(true);
    const full = db
      .prepare(
        `SELECT global_position, stream_id, version, event_id, type, schema_version, data, metadata, prev_hash, hash
         FROM events WHERE global_position = ?`,
      )
      .raw(true);
    let n = 0;
    for (let low = 0; low < end; low += ROWS_PER_CHUNK) {
      const rows = chunk.all(low, Math.min(end, low + ROWS_PER_CHUNK)) as [number, string, number, string, string, string | null][];
      for (let i = 0; i < rows.length; i++) {
        const [globalPosition, streamId, version, prevHash, hash, envelope] = rows[i];
        if (envelope !== null && sha256(envelope) === hash) {
          // eventId, type, data and metadata serve only to recompute the hash, which is given here.
          verifier.checkEvent(
            { globalPosition, streamId, version, eventId: '', type: '', schemaVersion: 0, data: null, metadata: null as never, prevHash, hash },
            hash,
          );
        } else {
          verifier.checkRow(storedRow(full.get(globalPosition) as RawRow));
        }
        if (++n % yieldEvery === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  } finally {
    db.close();
  }
  return verifier.result();
}

/** Verifies any store through the port (EventStoreDB), reading stored forms (no upcasting). */
export async function verifyStoreLog(
  store: Pick<EventStore, 'readAll'>,
  digests: readonly SignedDigest[],
  publicKey: KeyObject | readonly KeyObject[],
  publicKeySource: string,
): Promise<AuditVerifyReport> {
  const verifier = new AuditVerifier(digests, publicKey, publicKeySource, false);
  for await (const e of store.readAll({ upcast: false })) verifier.checkEvent(e);
  return verifier.result();
}

/**
 * The same verification split into `ranges` slices of global positions, each checked on its own
 * (in worker threads when `workers`, one per core: hashing is the cost) and stitched: chain links and
 * positions across slice borders, digest heads, truncation. Equivalent to `verifySqliteLog`.
 */
export async function verifySqliteLogInRanges(
  file: string,
  digests: readonly SignedDigest[],
  publicKey: KeyObject | readonly KeyObject[],
  publicKeySource: string,
  options: { ranges?: number; workers?: boolean } = {},
): Promise<AuditVerifyReport> {
  if (!existsSync(file)) throw new Error(`no event log at ${file}`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const head = ((db.prepare('SELECT max(global_position) AS p FROM events').get() as { p: number | null }).p ?? 0) as number;
  db.close();
  // The heads the digests state go to the slices now; the digests themselves (signatures, chain, roots)
  // are checked below while the slices run, on the core that would otherwise wait.
  const heads = digestHeads(digests);
  // Small logs are not worth a thread: one range per 50,000 events, at most one per core.
  const ranges = Math.max(1, options.ranges ?? Math.min(availableParallelism(), Math.ceil(head / 50_000)));
  const bounds = Array.from({ length: ranges }, (_, i) => [Math.floor((head * i) / ranges), Math.floor((head * (i + 1)) / ranges)] as const);
  const headList = [...heads];
  const pending: Promise<RangeResult[]> = Promise.all(
    bounds.map(([from, to]) =>
      options.workers && ranges > 1
        ? new Promise<RangeResult>((resolve, reject) => {
            const worker = new Worker(join(__dirname, 'verify-range.worker.js'), { workerData: { file, from, to, heads: headList } });
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.once('exit', (code) => code !== 0 && reject(new Error(`verify worker for positions ${from + 1}..${to} exited with ${code}`)));
          })
        : Promise.resolve(verifyRange(file, from, to, heads)),
    ),
  );
  let digestBreaks: DigestChainBreak[];
  try {
    digestBreaks = checkDigestChain(digests, publicKey).breaks;
  } catch (e) {
    await pending.catch(() => undefined);
    throw e;
  }
  const stitched = stitchRanges(await pending);
  const breaks: AuditBreak[] = [
    ...digestBreaks.map((b) => ({ kind: b.kind, digestSeq: b.seq, expected: b.expected, found: b.found, detail: b.detail }) as AuditBreak),
    ...stitched.breaks,
  ];
  for (const [streamId, h] of heads) {
    if (stitched.headsSeen.has(streamId)) continue;
    breaks.push({
      kind: 'digest-head-missing',
      streamId,
      version: h.version,
      expected: h.hash,
      found: 'absent',
      detail: `the signed digests state ${streamId} reached version ${h.version}; the log has no such event: the stream or the log's tail was removed`,
    });
  }
  const last = digests.length ? digests[digests.length - 1] : null;
  const lastDigestPosition = last?.body.globalPosition ?? 0;
  if (last && lastDigestPosition > stitched.lastPosition) {
    breaks.push({
      kind: 'log-truncated',
      digestSeq: last.body.seq,
      expected: String(lastDigestPosition),
      found: String(stitched.lastPosition),
      detail: `digest ${last.body.seq} was signed at global position ${lastDigestPosition}; the log ends at ${stitched.lastPosition}`,
    });
  }
  breaks.sort((a, b) => (a.globalPosition ?? Infinity) - (b.globalPosition ?? Infinity));
  const firstBreakByStream: Record<string, AuditBreak> = {};
  for (const b of breaks) if (b.streamId && !firstBreakByStream[b.streamId]) firstBreakByStream[b.streamId] = b;
  return {
    ok: breaks.length === 0,
    eventsChecked: stitched.events,
    streamsChecked: stitched.streams,
    headPosition: stitched.lastPosition,
    firstBreakByStream,
    breaks: breaks.slice(0, 1000),
    breaksOmitted: Math.max(0, breaks.length - 1000),
    digests: {
      checked: digests.length,
      lastSeq: last?.body.seq ?? 0,
      lastPosition: lastDigestPosition,
      eventsAfterLastDigest: Math.max(0, stitched.lastPosition - lastDigestPosition),
      publicKey: publicKeySource,
    },
  };
}

/** Worker threads need the compiled worker file; under ts (tests) the ranges run in-process. */
export const CAN_USE_VERIFY_WORKERS = __filename.endsWith('.js');
