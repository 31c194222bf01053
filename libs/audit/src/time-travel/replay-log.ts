import type { EventStore, UpcasterRegistry, RecordedEvent } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { deciderFor, foldCustoms, streamKind, type CustomsInForce, type StreamKind } from './stream-kinds';

export interface ReplaySummary {
  events: number;
  streams: number;
  byKind: Partial<Record<StreamKind, { streams: number; events: number }>>;
  /** Events the current domain code cannot fold (evolve threw): the log holds what the code no longer reads. */
  failures: { streamId: string; version: number; type: string; error: string }[];
}

/** A stored event as the fold reads it: stream, version, type, data (its JSON text, or parsed), event id, schema version, recorded at, position, hash. */
type Row = [string, number, string, unknown, string, number, string, number, string];

function share(streamId: string, shares: number): number {
  let h = 0;
  for (let i = 0; i < streamId.length; i++) h = (h * 31 + streamId.charCodeAt(i)) | 0;
  return Math.abs(h) % shares;
}

/**
 * The fold of a replay: each stored event, in log order, through its stream's decider (customs through
 * the audit fold), counted by stream kind; an event `evolve` cannot fold is a failure (the first 100 are
 * kept). Fed by the SQLite rows (`replayShare`) or by a store's `readAll` (`replayEvents`), so both
 * engines' replays fold alike.
 */
class ReplayFold {
  private readonly states = new Map<string, unknown>();
  private readonly summary: ReplaySummary = { events: 0, streams: 0, byKind: {}, failures: [] };

  constructor(private readonly upcasters?: UpcasterRegistry) {}

  /** One stored event; `data` is its stored JSON text when `parse` (parsed here, so bad JSON is a failure of its own). */
  add(row: Row, parse: boolean): void {
    const [streamId, version, type, stored, eventId, schemaVersion, recordedAt, globalPosition, hash] = row;
    const kind = streamKind(streamId);
    const k = (this.summary.byKind[kind] ??= { streams: 0, events: 0 });
    k.events++;
    this.summary.events++;
    const states = this.states;
    try {
      let data: unknown = parse ? JSON.parse(stored as string) : stored;
      if (this.upcasters || kind === 'customs') {
        let event = {
          eventId,
          type,
          schemaVersion,
          data,
          metadata: {} as never,
          streamId,
          version,
          globalPosition,
          recordedAt,
          prevHash: '',
          hash,
        } as RecordedEvent;
        if (this.upcasters) event = this.upcasters.upcast(event);
        if (kind === 'customs') {
          if (!states.has(streamId)) {
            states.set(streamId, {});
            k.streams++;
          }
          foldCustoms(states.get(streamId) as CustomsInForce, event);
          return;
        }
        data = event.data;
      }
      const decider = deciderFor(kind);
      if (!decider) {
        if (!states.has(streamId)) {
          states.set(streamId, null);
          k.streams++;
        }
        return;
      }
      const before = states.has(streamId) ? states.get(streamId) : (k.streams++, decider.initialState());
      states.set(streamId, decider.evolve(before, { type, data: data as object }));
    } catch (e) {
      if (this.summary.failures.length < 100) this.summary.failures.push({ streamId, version, type, error: (e as Error).message });
    }
  }

  finish(): ReplaySummary {
    this.summary.streams = this.states.size;
    return this.summary;
  }
}

/**
 * Full replay of a SQLite log: every stream folded through the domain's `evolve` (`ReplayFold`), reading
 * the stored rows directly and parsing only `data` — metadata is not needed to fold.
 * `share`/`shares` replay only the streams of one share (a worker's), so shares run in parallel.
 */
export function replayShare(file: string, shareIndex = 0, shares = 1, upcasters?: UpcasterRegistry): ReplaySummary {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const fold = new ReplayFold(upcasters);
  try {
    // The share is decided inside SQLite, so rows of other shares are never copied out of the database.
    const memo = new Map<string, number>();
    db.function('audit_share', { deterministic: true }, (streamId: unknown) => {
      const id = streamId as string;
      let s = memo.get(id);
      if (s === undefined) memo.set(id, (s = share(id, shares)));
      return s;
    });
    const where = shares > 1 ? 'WHERE audit_share(stream_id) = ?' : '';
    const stmt = db
      .prepare(
        `SELECT stream_id, version, type, data, event_id, schema_version, recorded_at, global_position, hash FROM events ${where} ORDER BY global_position`,
      )
      .raw(true);
    const rows = (shares > 1 ? stmt.iterate(shareIndex) : stmt.iterate()) as IterableIterator<Row>;
    for (const row of rows) fold.add(row, true);
  } finally {
    db.close();
  }
  return fold.finish();
}

/**
 * Full replay of any store's log through its `readAll` (the PostgreSQL log: `audit replay` with
 * DATABASE_URL), in one thread, the stored form (`upcast: false`, as the SQLite replay reads its rows),
 * with the same fold and summary as `replayLog`.
 */
export async function replayEvents(store: Pick<EventStore, 'readAll'>, upcasters?: UpcasterRegistry): Promise<ReplaySummary> {
  const fold = new ReplayFold(upcasters);
  for await (const e of store.readAll({ upcast: false })) {
    fold.add([e.streamId, e.version, e.type, e.data, e.eventId, e.schemaVersion, e.recordedAt, e.globalPosition, e.hash], false);
  }
  return fold.finish();
}

/** Replays the whole log, in `shares` worker threads when compiled (one per core), else in-process. */
export async function replayLog(file: string, options: { shares?: number; workers?: boolean } = {}): Promise<ReplaySummary> {
  const probe = new Database(file, { readonly: true, fileMustExist: true });
  const head = ((probe.prepare('SELECT max(global_position) AS p FROM events').get() as { p: number | null }).p ?? 0) as number;
  probe.close();
  // Small logs are not worth a thread: one share per 50,000 events, at most one per core.
  const shares = Math.max(1, options.shares ?? Math.min(availableParallelism(), Math.ceil(head / 50_000)));
  const parts = await Promise.all(
    Array.from({ length: shares }, (_, i) =>
      options.workers && shares > 1
        ? new Promise<ReplaySummary>((resolve, reject) => {
            const worker = new Worker(join(__dirname, 'replay-share.worker.js'), { workerData: { file, share: i, shares } });
            worker.once('message', resolve);
            worker.once('error', reject);
            worker.once('exit', (code) => code !== 0 && reject(new Error(`replay worker ${i} exited with ${code}`)));
          })
        : Promise.resolve(replayShare(file, i, shares)),
    ),
  );
  const total: ReplaySummary = { events: 0, streams: 0, byKind: {}, failures: [] };
  for (const p of parts) {
    total.events += p.events;
    total.streams += p.streams;
    total.failures.push(...p.failures);
    for (const [kind, v] of Object.entries(p.byKind) as [StreamKind, { streams: number; events: number }][]) {
      const t = (total.byKind[kind] ??= { streams: 0, events: 0 });
      t.streams += v.streams;
      t.events += v.events;
    }
  }
  return total;
}

export const CAN_USE_REPLAY_WORKERS = __filename.endsWith('.js');
