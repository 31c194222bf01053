import { existsSync, rmSync } from 'node:fs';
import type { EventStore, RecordedEvent } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import type { Projection } from './projection';
import { CHECKPOINT_TABLE, FAILURE_TABLE, ProjectionFailure, ReadModelDb } from './read-model-db';

export interface RebuildResult {
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

function removeDbFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) if (existsSync(f)) rmSync(f);
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
  const flush = (): void => {
    if (!batch.length) return;
    const result = rm.applyBatch(batch, { skip: new Set(progress.failed.keys()) });
    for (const f of result.failures) progress.failed.set(f.projection, f);
    progress.position = batch[batch.length - 1].globalPosition;
    progress.batches++;
    batch = [];
  };
  for await (const event of store.readAll({ fromPosition: progress.position, toPosition })) {
    batch.push(event);
    progress.events++;
    if (batch.length >= batchSize) flush();
  }
  flush();
}

/**
 * Rebuilds every read model from the whole log into `file` (created afresh; scratch storage), through
 * the same `applyBatch` the live runner uses. The audit replay-check compares the result with the live
 * file (`compareReadModels`).
 */
export async function rebuildInto(store: EventStore, file: string, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = Date.now();
  removeDbFiles(file);
  const rm = ReadModelDb.open(file, options.projections ?? ALL_PROJECTIONS, { scratch: true });
  const progress: Progress = { position: 0, events: 0, batches: 0, failed: new Map() };
  try {
    await applyLog(store, rm, progress, options.toPosition, options.batchSize ?? 2000);
  } finally {
    rm.close();
  }
  return resultOf(file, progress, started);
}

/**
 * Applies the log after `fromPosition` (up to `toPosition`, else the head) to the projections of an
 * existing file, as far as each applies: the audit replay-check finds out with it whether the events
 * beyond a live checkpoint apply at all.
 */
export async function extendInto(store: EventStore, file: string, options: RebuildOptions & { fromPosition: number }): Promise<RebuildResult> {
  const started = Date.now();
  const rm = ReadModelDb.open(file, options.projections ?? ALL_PROJECTIONS, { scratch: true });
  const progress: Progress = { position: options.fromPosition, events: 0, batches: 0, failed: new Map() };
  try {
    await applyLog(store, rm, progress, options.toPosition, options.batchSize ?? 2000);
  } finally {
    rm.close();
  }
  return resultOf(file, progress, started);
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
 * Rebuilds the live read models at `file` from the log: first into scratch storage beside it, then
 * swapped in, tables and checkpoints, in ONE transaction — readers see the old rows or the new ones,
 * never a half-built model. The scratch copy is first brought at least as far as the live checkpoints,
 * so a runner serving from the file never sees its checkpoints move back.
 */
export async function rebuildReadModels(store: EventStore, file: string, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = Date.now();
  const projections = options.projections ?? ALL_PROJECTIONS;
  const batchSize = options.batchSize ?? 2000;
  const scratchFile = `${file}.rebuild-${process.pid}`;
  removeDbFiles(scratchFile);
  const scratch = ReadModelDb.open(scratchFile, projections, { scratch: true });
  const live = ReadModelDb.open(file, projections);
  const progress: Progress = { position: 0, events: 0, batches: 0, failed: new Map() };
  const liveHighest = (): number => Math.max(0, ...[...live.checkpoints().values()].map((c) => c.position));
  try {
    await applyLog(store, scratch, progress, options.toPosition, batchSize);
    for (let attempt = 0; ; attempt++) {
      const target = liveHighest();
      if (progress.position < target) await applyLog(store, scratch, progress, target, batchSize);
      scratch.db.pragma('wal_checkpoint(TRUNCATE)');
      live.db.prepare('ATTACH DATABASE ? AS scratch').run(scratchFile);
      try {
        live.db
          .transaction(() => {
            const now = liveHighest();
            if (now > progress.position) throw new LiveMovedOn(now);
            for (const p of projections) {
              live.recreate(p);
              for (const t of p.tables) live.db.exec(`INSERT INTO main.${t.name} SELECT * FROM scratch.${t.name}`);
              live.db
                .prepare(
                  `UPDATE main.${CHECKPOINT_TABLE} SET version = ?,
                     position = (SELECT position FROM scratch.${CHECKPOINT_TABLE} WHERE projection = ?)
                   WHERE projection = ?`,
                )
                .run(p.version, p.name, p.name);
              // The rebuilt projection's failure (or none) replaces the one stored for the old rows.
              live.db.prepare(`DELETE FROM main.${FAILURE_TABLE} WHERE projection = ?`).run(p.name);
              live.db.prepare(`INSERT INTO main.${FAILURE_TABLE} SELECT * FROM scratch.${FAILURE_TABLE} WHERE projection = ?`).run(p.name);
            }
          })
          .immediate();
        break;
      } catch (error) {
        if (!(error instanceof LiveMovedOn) || attempt >= 20) throw error;
      } finally {
        live.db.exec('DETACH DATABASE scratch');
      }
    }
  } finally {
    scratch.close();
    live.close();
    removeDbFiles(scratchFile);
  }
  return resultOf(file, progress, started);
}
