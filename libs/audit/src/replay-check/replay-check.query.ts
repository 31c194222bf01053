import { type EventStore, PostgresEventStore } from '@cbec/event-store';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ALL_PROJECTIONS,
  compareReadModels,
  extendInto,
  PostgresReadModelEngine,
  type ProjectionFailure,
  ReadModelDb,
  rebuildInto,
  type ReadModelDifference,
} from '@cbec/projections';
import { AuditNotFound } from '../shared/history-entry';

export interface ReplayCheckReport {
  ok: boolean;
  liveFile: string;
  headPosition: number;
  /** Per live checkpoint position: the projections rebuilt to it and the events replayed. */
  rebuilt: { position: number; projections: string[]; events: number; durationMs: number; failures: unknown[] }[];
  differences: ReadModelDifference[];
  /**
   * Projections that cannot apply the log: the failure the live runner stored, and any the log beyond a
   * live checkpoint causes when replayed (each names the event: position, stream, version, type, error).
   */
  failures: ProjectionFailure[];
}

/**
 * Rebuilds every projection from the log into scratch storage, each up to the position its live
 * checkpoint says it has seen, and compares the result row by row with the live read models. Any
 * difference means the live read model is not what the log implies (a bug, a lost or doubled event, or
 * a hand edit). Then it applies the rest of the log to the rebuilt projections: a projection that stopped
 * at an event (or would stop at one) is a failure, reported with the one the live runner stored.
 */
export async function replayCheck(store: EventStore, liveFile: string): Promise<ReplayCheckReport> {
  // The read models live where the log does: a PostgreSQL log's are in its database (schema read_models).
  const databaseUrl = store instanceof PostgresEventStore ? store.connectionString : undefined;
  const engine = databaseUrl ? new PostgresReadModelEngine({ connectionString: databaseUrl, poolSize: 1 }) : null;
  try {
    return await replayCheckOf(store, engine ?? liveFile);
  } finally {
    await engine?.close();
  }
}

async function replayCheckOf(store: EventStore, liveTarget: string | PostgresReadModelEngine): Promise<ReplayCheckReport> {
  const liveFile = typeof liveTarget === 'string' ? liveTarget : liveTarget.location;
  if (typeof liveTarget === 'string' ? !existsSync(liveTarget) : !(await liveTarget.reader.hasTable('projection_checkpoints'))) {
    throw new AuditNotFound(`no live read models at ${liveFile}`);
  }
  const live = await ReadModelDb.open(liveTarget, ALL_PROJECTIONS, { readonly: true });
  let positionOf: Map<string, number>;
  const failures = new Map<string, ProjectionFailure>();
  try {
    positionOf = new Map([...(await live.checkpoints())].map(([name, c]) => [name, c.position]));
    for (const [name, failure] of await live.failures()) failures.set(name, failure);
  } finally {
    if (typeof liveTarget === 'string') await live.close();
  }
  const groups = new Map<number, (typeof ALL_PROJECTIONS)[number][]>();
  for (const p of ALL_PROJECTIONS) {
    const pos = positionOf.get(p.name) ?? 0;
    groups.set(pos, [...(groups.get(pos) ?? []), p]);
  }
  const scratchDir = mkdtempSync(join(tmpdir(), 'cbec-replay-check-'));
  const report: ReplayCheckReport = { ok: true, liveFile, headPosition: await store.headPosition(), rebuilt: [], differences: [], failures: [] };
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
      report.differences.push(...(await compareReadModels(liveTarget, scratch, { projections })));
      if (position < report.headPosition) {
        const beyond = await extendInto(store, scratch, { projections, fromPosition: position, toPosition: report.headPosition });
        for (const f of beyond.failures) if (!failures.has(f.projection)) failures.set(f.projection, f);
      }
    }
    report.failures = [...failures.values()];
  } finally {
    rmSync(scratchDir, { recursive: true, force: true });
  }
  report.ok = report.differences.length === 0 && report.failures.length === 0 && report.rebuilt.every((r) => r.failures.length === 0);
  return report;
}
