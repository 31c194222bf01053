import type { EventStore } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_PROJECTIONS, CHECKPOINT_TABLE, compareReadModels, rebuildInto, type ReadModelDifference } from '@cbec/projections';
import { AuditNotFound } from '../shared/history-entry';

export interface ReplayCheckReport {
  ok: boolean;
  liveFile: string;
  headPosition: number;
  /** Per live checkpoint position: the projections rebuilt to it and the events replayed. */
  rebuilt: { position: number; projections: string[]; events: number; durationMs: number; failures: unknown[] }[];
  differences: ReadModelDifference[];
}

/**
 * Rebuilds every projection from the log into scratch storage, each up to the position its live
 * checkpoint says it has seen, and compares the result row by row with the live read models. Any
 * difference means the live read model is not what the log implies (a bug, a lost or doubled event, or
 * a hand edit).
 */
export async function replayCheck(store: EventStore, liveFile: string): Promise<ReplayCheckReport> {
  if (!existsSync(liveFile)) throw new AuditNotFound(`no live read models at ${liveFile}`);
  const live = new Database(liveFile, { readonly: true, fileMustExist: true });
  let checkpoints: { projection: string; position: number }[];
  try {
    checkpoints = live.prepare(`SELECT projection, position FROM ${CHECKPOINT_TABLE}`).all() as typeof checkpoints;
  } finally {
    live.close();
  }
  const positionOf = new Map(checkpoints.map((c) => [c.projection, c.position]));
  const groups = new Map<number, (typeof ALL_PROJECTIONS)[number][]>();
  for (const p of ALL_PROJECTIONS) {
    const pos = positionOf.get(p.name) ?? 0;
    groups.set(pos, [...(groups.get(pos) ?? []), p]);
  }
  const scratchDir = mkdtempSync(join(tmpdir(), 'cbec-replay-check-'));
  const report: ReplayCheckReport = { ok: true, liveFile, headPosition: await store.headPosition(), rebuilt: [], differences: [] };
  try {
    let i = 0;
    for (const [position, projections] of groups) {
      const scratch = join(scratchDir, `rebuilt-${i++}.db`);
      const result = await rebuildInto(store, scratch, { projections, toPosition: position });
      report.rebuilt.push({
        position,
        projections: projections.map((p) => p.name),
        events: result.events,
        durationMs: result.durationMs,
        failures: result.failures,
      });
      report.differences.push(...compareReadModels(liveFile, scratch, { projections }));
    }
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  report.ok = report.differences.length === 0 && report.rebuilt.every((r) => r.failures.length === 0);
  return report;
}
