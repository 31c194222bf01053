import { existsSync, rmSync } from 'node:fs';
import type { EventStore, RecordedEvent } from '@cbec/event-store';
import { ALL_PROJECTIONS } from '../projections';
import type { Projection } from './projection';
import { CHECKPOINT_TABLE, ProjectionFailure, ReadModelDb } from './read-model-db';

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

/**
 * Rebuilds every read model from the whole log into `file` (created afresh; scratch storage), through
 * the same `applyBatch` the live runner uses. The audit replay-check compares the result with the live
 * file (`compareReadModels`).
 */
export async function rebuildInto(store: EventStore, file: string, options: RebuildOptions = {}): Promise<RebuildResult> {
  const started = Date.now();
  removeDbFiles(file);
  const rm = ReadModelDb.open(file, options.projections ?? ALL_PROJECTIONS, { scratch: true });
  const batchSize = options.batchSize ?? 2000;
  const failed = new Map<string, ProjectionFailure>();
  let batch: RecordedEvent[] = [];
  let events = 0;
  let batches = 0;
  let position = 0;
  const flush = (): void => {
    if (!batch.length) return;
    const result = rm.applyBatch(batch, { skip: new Set(failed.keys()) });
    for (const f of result.failures) failed.set(f.projection, f);
    position = batch[batch.length - 1].globalPosition;
    batches++;
    batch = [];
  };
  try {
    for await (const event of store.readAll({ toPosition: options.toPosition })) {
      batch.push(event);
      events++;
      if (batch.length >= batchSize) flush();
    }
    flush();
  } finally {
    rm.close();
  }
  return { file, position, events, batches, durationMs: Date.now() - started, failures: [...failed.values()] };
}

/**
 * Rebuilds the live read models at `file` from the log: first into scratch storage beside it, then
 * swapped in, table by table with the checkpoints, in ONE transaction — readers see the old rows or the
 * new ones, never a half-built model. A runner still serving from the file notices its checkpoints moved
 * and resumes from the rebuilt position.
 */
export async function rebuildReadModels(store: EventStore, file: string, options: RebuildOptions = {}): Promise<RebuildResult> {
  const projections = options.projections ?? ALL_PROJECTIONS;
  const scratch = `${file}.rebuild-${process.pid}`;
  const result = await rebuildInto(store, scratch, options);
  const live = ReadModelDb.open(file, projections);
  try {
    live.db.prepare('ATTACH DATABASE ? AS scratch').run(scratch);
    try {
      live.db
        .transaction(() => {
          for (const p of projections) {
            live.recreate(p);
            for (const t of p.tables) live.db.exec(`INSERT INTO main.${t.name} SELECT * FROM scratch.${t.name}`);
            live.db
              .prepare(
                `UPDATE main.${CHECKPOINT_TABLE} SET position = (SELECT position FROM scratch.${CHECKPOINT_TABLE} WHERE projection = ?),
                   version = ? WHERE projection = ?`,
              )
              .run(p.name, p.version, p.name);
          }
        })
        .immediate();
    } finally {
      live.db.exec('DETACH DATABASE scratch');
    }
  } finally {
    live.close();
    removeDbFiles(scratch);
  }
  return { ...result, file };
}
