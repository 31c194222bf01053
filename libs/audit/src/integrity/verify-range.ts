import { GENESIS_HASH, canonicalJson } from '@cbec/event-store';
import Database from 'better-sqlite3';
import type { ChainHead } from './digest';
import { hashOfParts } from './hash-parts';
import { ROWS_PER_CHUNK, STORED_ENVELOPE_SQL } from './stored-envelope';
import { hash as oneShotHash } from 'node:crypto';
import type { AuditBreak } from './verify-log';

/** What one slice of the log [from+1 .. to] says about each stream it holds. */
export interface StreamSlice {
  streamId: string;
  firstVersion: number;
  firstPrevHash: string;
  firstPosition: number;
  lastVersion: number;
  lastHash: string;
}

export interface RangeResult {
  from: number;
  to: number;
  events: number;
  firstPosition: number | null;
  lastPosition: number | null;
  slices: StreamSlice[];
  breaks: AuditBreak[];
  /** Streams whose digest head (version) lies in this range. */
  headsSeen: string[];
}

const sha256 = (text: string): string => oneShotHash('sha256', text, 'hex');

type ChunkRow = [number, string, number, string, string, string | null];
type FullRow = [string, string, number, string, string];

/**
 * Verifies one range of global positions on its own (a worker thread's share): every event's hash, and
 * within the range each stream's versions and links; the first event of each stream in the range is
 * linked to its predecessor by `stitchRanges`, which sees every range.
 *
 * Rows come in chunks with their hashed envelope assembled by SQLite (stored-envelope.ts), inside one
 * read transaction so that every chunk sees the same log. Only a row whose envelope is absent or does not
 * hash to the stored hash is read in full and judged by the stored fields, as it always was.
 */
export function verifyRange(file: string, from: number, to: number, heads: ReadonlyMap<string, ChainHead>, maxBreaks = 1000): RangeResult {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const slices = new Map<string, StreamSlice>();
  const breaks: AuditBreak[] = [];
  const headsSeen: string[] = [];
  const add = (b: AuditBreak): void => {
    if (breaks.length < maxBreaks) breaks.push(b);
  };
  let events = 0;
  let firstPosition: number | null = null;
  let lastPosition: number | null = null;
  try {
    const chunk = db
      .prepare(
        `SELECT global_position, stream_id, version, prev_hash, hash, ${STORED_ENVELOPE_SQL}
         FROM events WHERE global_position > ? AND global_position <= ? ORDER BY global_position`,
      )
      .raw(true);
    const full = db.prepare('SELECT event_id, type, schema_version, data, metadata FROM events WHERE global_position = ?').raw(true);
    /** The hash of a row from its stored fields: over the stored text, else over its parsed and re-canonicalized JSON. */
    const recompute = (position: number, streamId: string, version: number, prevHash: string, hash: string): string => {
      const [eventId, type, schemaVersion, dataText, metadataText] = full.get(position) as FullRow;
      const fields = { streamId, version, eventId, type, schemaVersion, prevHash };
      let recomputed = hashOfParts(fields, dataText, metadataText);
      if (recomputed !== hash) {
        try {
          recomputed = hashOfParts(fields, canonicalJson(JSON.parse(dataText)), canonicalJson(JSON.parse(metadataText)));
        } catch (e) {
          add({
            kind: 'unreadable-event',
            streamId,
            version,
            globalPosition: position,
            detail: `event ${eventId} at ${streamId}@${version}: stored JSON cannot be parsed (${(e as Error).message})`,
          });
        }
      }
      return recomputed;
    };
    const last = db.prepare('SELECT max(global_position) FROM events WHERE global_position <= ?').pluck();
    const walk = (): void => {
      const end = Math.min(to, (last.get(to) as number | null) ?? from);
      for (let low = from; low < end; low += ROWS_PER_CHUNK) {
        const rows = chunk.all(low, Math.min(end, low + ROWS_PER_CHUNK)) as ChunkRow[];
        for (let i = 0; i < rows.length; i++) {
          const [position, streamId, version, prevHash, hash, envelope] = rows[i];
          events++;
          if (lastPosition !== null && position !== lastPosition + 1) {
            add({
              kind: 'position-gap',
              globalPosition: position,
              expected: String(lastPosition + 1),
              found: String(position),
              detail: `global positions ${lastPosition + 1}..${position - 1} are missing (${position - lastPosition - 1} event(s) removed) before ${streamId}@${version}`,
            });
          }
          firstPosition ??= position;
          lastPosition = position;
          let recomputed = envelope === null ? null : sha256(envelope);
          if (recomputed !== hash) recomputed = recompute(position, streamId, version, prevHash, hash);
          const slice = slices.get(streamId);
          if (slice) {
            if (version !== slice.lastVersion + 1) {
              add({
                kind: 'version-gap',
                streamId,
                version,
                globalPosition: position,
                expected: String(slice.lastVersion + 1),
                found: String(version),
                detail: `${streamId}: expected version ${slice.lastVersion + 1}, found ${version} (an event was removed or events were reordered)`,
              });
            }
            if (prevHash !== slice.lastHash) {
              add({
                kind: 'broken-link',
                streamId,
                version,
                globalPosition: position,
                expected: slice.lastHash,
                found: prevHash,
                detail: `${streamId}@${version}: prevHash does not name the previous event of the stream (an event before it was removed, replaced or moved)`,
              });
            }
            slice.lastVersion = version;
            slice.lastHash = hash;
          } else {
            slices.set(streamId, { streamId, firstVersion: version, firstPrevHash: prevHash, firstPosition: position, lastVersion: version, lastHash: hash });
          }
          if (recomputed !== hash) {
            add({
              kind: 'hash-mismatch',
              streamId,
              version,
              globalPosition: position,
              expected: recomputed,
              found: hash,
              detail: `${streamId}@${version}: the stored hash is not the hash of the stored event (edited); recomputed ${recomputed}, stored ${hash}`,
            });
          }
          const head = heads.get(streamId);
          if (head && head.version === version) {
            headsSeen.push(streamId);
            if (head.hash !== hash) {
              add({
                kind: 'digest-head-mismatch',
                streamId,
                version,
                globalPosition: position,
                expected: head.hash,
                found: hash,
                detail: `the signed digests state ${streamId}@${version} has hash ${head.hash}; the log's event has ${hash}: the stream was rewritten`,
              });
            }
          }
        }
      }
    };
    db.transaction(walk)();
  } finally {
    db.close();
  }
  return { from, to, events, firstPosition, lastPosition, slices: [...slices.values()], breaks, headsSeen };
}

/** Links the ranges: each stream's first event in a range to its last in the range before, and the positions across range borders. */
export function stitchRanges(results: readonly RangeResult[]): {
  breaks: AuditBreak[];
  events: number;
  streams: number;
  lastPosition: number;
  headsSeen: Set<string>;
} {
  const breaks: AuditBreak[] = [];
  const tips = new Map<string, { version: number; hash: string }>();
  const headsSeen = new Set<string>();
  let events = 0;
  let lastPosition = 0;
  for (const r of [...results].sort((a, b) => a.from - b.from)) {
    events += r.events;
    if (r.firstPosition !== null) {
      if (r.firstPosition !== lastPosition + 1) {
        breaks.push({
          kind: 'position-gap',
          globalPosition: r.firstPosition,
          expected: String(lastPosition + 1),
          found: String(r.firstPosition),
          detail: `global positions ${lastPosition + 1}..${r.firstPosition - 1} are missing (${r.firstPosition - lastPosition - 1} event(s) removed)`,
        });
      }
      lastPosition = r.lastPosition!;
    }
    for (const s of r.slices) {
      const tip = tips.get(s.streamId);
      const expectedVersion = tip ? tip.version + 1 : 0;
      const expectedPrev = tip ? tip.hash : GENESIS_HASH;
      if (s.firstVersion !== expectedVersion) {
        breaks.push({
          kind: 'version-gap',
          streamId: s.streamId,
          version: s.firstVersion,
          globalPosition: s.firstPosition,
          expected: String(expectedVersion),
          found: String(s.firstVersion),
          detail: `${s.streamId}: expected version ${expectedVersion}, found ${s.firstVersion} (an event was removed or events were reordered)`,
        });
      }
      if (s.firstPrevHash !== expectedPrev) {
        breaks.push({
          kind: 'broken-link',
          streamId: s.streamId,
          version: s.firstVersion,
          globalPosition: s.firstPosition,
          expected: expectedPrev,
          found: s.firstPrevHash,
          detail: `${s.streamId}@${s.firstVersion}: prevHash does not name the previous event of the stream (an event before it was removed, replaced or moved)`,
        });
      }
      tips.set(s.streamId, { version: s.lastVersion, hash: s.lastHash });
    }
    breaks.push(...r.breaks);
    r.headsSeen.forEach((h) => headsSeen.add(h));
  }
  return { breaks, events, streams: tips.size, lastPosition, headsSeen };
}
