import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CliCommand, CliExit, CliUsageError, parseFlags } from '../cli';
import { requireServerDataDir } from '../server-data-dir';
// Deep imports: rebuilding needs the projections and the store, not a Nest application.
import { dataDirFromEnv } from '../../../../libs/platform/src/auth/jwt-secret';
import { compareReadModels } from '../../../../libs/projections/src/runner/compare-read-models';
import { type ProjectionFailure, ReadModelDb } from '../../../../libs/projections/src/runner/read-model-db';
import { liveReadModelEngine } from '../../../../libs/projections/src/read-models';
import type { ReadModelEngine } from '../../../../libs/projections/src/runner/read-model-engine';
import { rebuildInto, rebuildReadModels, RebuildResult } from '../../../../libs/projections/src/runner/rebuild';
import { ALL_PROJECTIONS } from '../../../../libs/projections/src/projections';
import { openEventStore } from '../../../workflow-api/src/event-store.factory';

const USAGE = ['projections rebuild [--into <file>]', 'projections status', 'projections compare <fileA|live> <fileB|live>'].join(' | ');

const READ_MODELS_FILE = 'read-models.db';

function report(result: RebuildResult, extra: Record<string, unknown>) {
  return {
    ...extra,
    position: result.position,
    events: result.events,
    batches: result.batches,
    durationMs: result.durationMs,
    eventsPerSecond: result.durationMs > 0 ? Math.round((result.events * 1000) / result.durationMs) : null,
    projections: ALL_PROJECTIONS.map((p) => p.name),
    failures: result.failures,
  };
}

/**
 * The read models' operator tools, reading CBEC_DATA_DIR, DATABASE_URL (and EVENTSTORE_CONNECTION_STRING)
 * like the server: the live read models are `<CBEC_DATA_DIR>/read-models.db`, or the `read_models` schema
 * of DATABASE_URL. `rebuild` replays the whole log into scratch storage and swaps it into the live read
 * models in one transaction (safe while the servers run); `--into <file>` rebuilds into that SQLite file
 * only. `status` shows each projection's checkpoint and, when it stopped at an event, that event and the
 * error (`failure`). `compare` compares two stores (`live`: the live read models). Exit 1 when a
 * projection failed or two stores differ.
 */
export const projectionsCommand: CliCommand = {
  name: 'projections',
  usage: USAGE,
  async run(args, io): Promise<CliExit> {
    const { flags, positional } = parseFlags(args);
    const [sub, ...rest] = positional;
    const dataDir = dataDirFromEnv(io.env, io.cwd);
    const databaseUrl = io.env.DATABASE_URL?.trim() || undefined;
    const live = databaseUrl ? 'live' : join(dataDir, READ_MODELS_FILE);
    const liveEngine = (): ReadModelEngine => liveReadModelEngine(dataDir, databaseUrl);
    const allow = (...known: string[]): void => {
      const unknown = Object.keys(flags).find((f) => !known.includes(f));
      if (unknown) throw new CliUsageError(`unknown option --${unknown} for "projections ${sub}"; usage: ${USAGE}`);
    };
    switch (sub) {
      case 'rebuild': {
        allow('into');
        if (rest.length) throw new CliUsageError(`unexpected argument "${rest[0]}"; usage: ${USAGE}`);
        const into = flags.into === undefined ? undefined : resolve(io.cwd, flags.into);
        if (into !== undefined && resolve(into) === resolve(live)) {
          throw new CliUsageError(`--into names the live read models (${live}); omit --into to rebuild them in place`);
        }
        requireServerDataDir(dataDir, io.env);
        const store = await openEventStore(dataDir, io.env);
        try {
          const engine = into === undefined ? liveEngine() : null;
          try {
            const result = engine ? await rebuildReadModels(store, engine) : await rebuildInto(store, into!);
            io.out(report(result, engine ? { rebuilt: result.file } : { rebuiltInto: into }));
            return result.failures.length ? 1 : 0;
          } finally {
            await engine?.close();
          }
        } finally {
          await store.close();
        }
      }
      case 'status': {
        allow();
        if (rest.length) throw new CliUsageError(`unexpected argument "${rest[0]}"; usage: ${USAGE}`);
        requireServerDataDir(dataDir, io.env);
        const store = await openEventStore(dataDir, io.env);
        try {
          const head = await store.headPosition();
          // Before the server's first start there is no file (or table) yet: every projection is at 0.
          const engine = databaseUrl ? liveEngine() : existsSync(live) ? liveReadModelEngine(dataDir, undefined) : null;
          const rm = engine ? await ReadModelDb.open(engine, ALL_PROJECTIONS, { readonly: true }) : null;
          try {
            const stored = rm !== null && (await rm.reader.hasTable('projection_checkpoints'));
            const checkpoints = stored ? await rm.checkpoints() : new Map<string, { position: number; version: number }>();
            const failures = stored ? await rm.failures() : new Map<string, ProjectionFailure>();
            io.out({
              file: rm?.location ?? live,
              exists: stored,
              logHead: head,
              ok: failures.size === 0,
              projections: ALL_PROJECTIONS.map((p) => {
                const cp = checkpoints.get(p.name);
                const position = cp?.position ?? 0;
                const failure = failures.get(p.name) ?? null;
                return { name: p.name, version: p.version, storedVersion: cp?.version ?? null, position, behind: head - position, failure };
              }),
            });
            return failures.size ? 1 : 0;
          } finally {
            await rm?.close();
          }
        } finally {
          await store.close();
        }
      }
      case 'compare': {
        allow();
        if (rest.length !== 2) throw new CliUsageError(`compare needs two read-model stores (files, or live); usage: ${USAGE}`);
        const [a, b] = rest.map((f) => (f === 'live' ? f : resolve(io.cwd, f)));
        for (const f of [a, b]) if (f !== 'live' && !existsSync(f)) throw new CliUsageError(`no read-model file at ${f}`);
        const engines = [a, b].map((f) => (f === 'live' ? liveEngine() : f));
        try {
          const differences = await compareReadModels(engines[0], engines[1]);
          io.out({ a, b, equal: differences.length === 0, differences });
          return differences.length ? 1 : 0;
        } finally {
          for (const e of engines) if (typeof e !== 'string') await e.close();
        }
      }
      default:
        throw new CliUsageError(sub ? `unknown subcommand "${sub}"; usage: ${USAGE}` : `usage: ${USAGE}`);
    }
  },
};
