import type { EventStore, RecordedEvent } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import type { Projection } from './projection';
import type { ReadModelEngine } from './read-model-engine';
import { CHECKPOINT_TABLE, FAILURE_TABLE, ProjectionFailure, ReadModelDb } from './read-model-db';
import { removeSqliteFiles, SqliteReadModelEngine } from './sqlite-read-model-engine';

export interface RebuildResult {
  /** Where the rebuilt read models are: a file, or a PostgreSQL database and schema. */
  file: string;
  /** Global position of the last event applied (0 for an empty log). */
  position: number;
  events: number;
  batches: number;
  durationMs: number;
  /** Projections whose handler threw: their tables stop before the failing event. */
  failures: ProjectionFailure[];
}

export interface RebuildOptions {
  projections?: readonly Projection[];
  /** Stop after this global position (inclusive), e.g. to compare with a live file at that position. */
  toPosition?: number;
  batchSize?: number;
}

interface Progress {
  position: number;
  events: number;
  batches: number;
  failed: Map<string, ProjectionFailure>;
}

/** Applies the log after `progress.position` (up to `toPosition`) to `rm`, in batches. */
async function applyLog(store: EventStore, rm: ReadModelDb, progress: Progress, toPosition: number | undefined, batchSize: number): Promise<void> {
  let batch: RecordedEvent[] = [];
  const flush = async (): Promise<void> => {
    if (!batch.length) return;
    const result = await rm.applyBatch(batch, { skip: new Set(progress.failed.keys()) });
    for (const f of result.failures) progress.failed.set(f.projection, f);
    progress.position = batch[batch.length - 1].globalPosition;
    progress.batches++;
    batch = [];
  };
  for await (const event of store.readAll({ fromPosition: progress.position, toPosition })) {
    batch.push(event);
    progress.events++;
    if (batch.length >= batchSize) await flush();
  }
  await flush();
}

/** A SQLite file by its path (scratch storage), or an engine as given. */
function scratchEngine(target: string | ReadModelEngine): ReadModelEngine {
  return typeof target === 'string' ? new SqliteReadModelEngine(target, { scratch: true }) : target;
}

/**
 * Rebuilds every read model from the whole log into `target` (a file created afresh as scratch storage,
 * or an empty engine), through the same `applyBatch` the live runner uses. The audit replay-check
 * compares the result with the live read models (`compareReadModels`).
 */
export async function rebuildInto(store: EventStore, target: string | ReadModelEngine, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = Date.now();
  if (typeof target === 'string') removeSqliteFiles(target);
  const rm = await ReadModelDb.open(scratchEngine(target), options.projections ?? ALL_PROJECTIONS);
  const progress: Progress = { position: 0, events: 0, batches: 0, failed: new Map() };
  try {
    await applyLog(store, rm, progress, options.toPosition, options.batchSize ?? 2000);
  } finally {
    // An engine the caller gave stays open: the caller closes it.
    if (typeof target === 'string') await rm.close();
  }
  return resultOf(rm.location, progress, started);
}

/**
 * Applies the log after `fromPosition` (up to `toPosition`, else the head) to the projections of an
 * existing file, as far as each applies: the audit replay-check finds out with it whether the events
 * beyond a live checkpoint apply at all.
 */
export async function extendInto(
  store: EventStore,
  target: string | ReadModelEngine,
  options: RebuildOptions & { fromPosition: number },
): Promise<RebuildResult> {
  const started = Date.now();
  const rm = await ReadModelDb.open(scratchEngine(target), options.projections ?? ALL_PROJECTIONS);
  const progress: Progress = { position: options.fromPosition, events: 0, batches: 0, failed: new Map() };
  try {
    await applyLog(store, rm, progress, options.toPosition, options.batchSize ?? 2000);
  } finally {
    // An engine the caller gave stays open: the caller closes it.
    if (typeof target === 'string') await rm.close();
  }
  return resultOf(rm.location, progress, started);
}

function resultOf(file: string, p: Progress, started: number): RebuildResult {
  return { file, position: p.position, events: p.events, batches: p.batches, durationMs: Date.now() - started, failures: [...p.failed.values()] };
}

class LiveMovedOn extends Error {
  constructor(readonly livePosition: number) {
    super(`the live read models moved on to ${livePosition} during the rebuild`);
  }
}

/**
 * Rebuilds the live read models (a file, or an engine: PostgreSQL) from the log: first into scratch
 * storage beside them (a file, or a schema of the same database), then swapped in, tables and checkpoints,
 * in ONE transaction — readers see the old rows or the new ones, never a half-built model. The scratch
 * copy is first brought at least as far as the live checkpoints, so a runner serving from the store never
 * sees its checkpoints move back.
 */
export async function rebuildReadModels(store: EventStore, target: string | ReadModelEngine, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = Date.now();
  const projections = options.projections ?? ALL_PROJECTIONS;
  const batchSize = options.batchSize ?? 2000;
  const live = await ReadModelDb.open(target, projections);
  const own = (table: string): string => live.engine.own(table);
  const progress: Progress = { position: 0, events: 0, batches: 0, failed: new Map() };
  let scratch: ReadModelDb | null = null;
  try {
    scratch = await ReadModelDb.open(await live.engine.scratchBeside(`rebuild_${process.pid}`), projections);
    const copy = scratch;
    const liveHighest = async (): Promise<number> => Math.max(0, ...[...(await live.checkpoints()).values()].map((c) => c.position));
    await applyLog(store, copy, progress, options.toPosition, batchSize);
    for (let attempt = 0; ; attempt++) {
      const target = await liveHighest();
      if (progress.position < target) await applyLog(store, copy, progress, target, batchSize);
      try {
        await live.engine.withAttached(copy.engine, (from) =>
          live.engine.write(async (tx) => {
            const rows = await tx.all<{ position: number }>(`SELECT position FROM ${own(CHECKPOINT_TABLE)}`);
            const now = Math.max(0, ...rows.map((r) => r.position));
            if (now > progress.position) throw new LiveMovedOn(now);
            for (const p of projections) {
              await live.recreate(p, tx);
              for (const t of p.tables) await tx.exec(`INSERT INTO ${own(t.name)} SELECT * FROM ${from}${t.name}`);
              await tx.run(
                `UPDATE ${own(CHECKPOINT_TABLE)} SET version = ?,
                   position = (SELECT position FROM ${from}${CHECKPOINT_TABLE} WHERE projection = ?)
                 WHERE projection = ?`,
                p.version,
                p.name,
                p.name,
              );
              // The rebuilt projection's failure (or none) replaces the one stored for the old rows.
              await tx.run(`DELETE FROM ${own(FAILURE_TABLE)} WHERE projection = ?`, p.name);
              await tx.run(`INSERT INTO ${own(FAILURE_TABLE)} SELECT * FROM ${from}${FAILURE_TABLE} WHERE projection = ?`, p.name);
            }
          }),
        );
        break;
      } catch (error) {
        if (!(error instanceof LiveMovedOn) || attempt >= 20) throw error;
      }
    }
  } finally {
    await scratch?.engine.destroy();
    if (typeof target === 'string') await live.close();
  }
  return resultOf(live.location, progress, started);
}
