import type Database from 'better-sqlite3';
import type { RecordedEvent } from '@cbec/event-store';
import type { Projection } from './projection';
import type { EngineTx, ReadModelEngine, SqlReader } from './read-model-engine';
import { type SqliteEngineOptions, SqliteReadModelEngine } from './sqlite-read-model-engine';

export const CHECKPOINT_TABLE = 'projection_checkpoints';
/**
 * The failure of each projection that stopped at an event, beside its checkpoint, so that every process
 * reading the file (the other cluster workers, `projections status`, `audit replay-check`) sees it, not
 * only the runner that met it. Cleared when the projection applies past its checkpoint or is recreated.
 */
export const FAILURE_TABLE = 'projection_failures';

export interface Checkpoint {
  position: number;
  version: number;
}

/** The event a projection could not apply: where it is in the log and in its stream, and the error. */
export interface ProjectionFailure {
  projection: string;
  globalPosition: number;
  streamId: string;
  streamVersion: number;
  eventType: string;
  eventId: string;
  error: string;
}

export interface BatchResult {
  /** Each projection's checkpoint after the batch (as stored). */
  positions: Map<string, number>;
  /** Projections whose handler threw: their part of the batch was rolled back, their checkpoint kept. */
  failures: ProjectionFailure[];
}

/**
 * A stored checkpoint is lower than the runner last saw: someone rebuilt or reset the read models under
 * it. The batch is abandoned and the runner resubscribes from what is stored.
 */
export class CheckpointMovedBack extends Error {
  constructor(
    readonly projection: string,
    readonly stored: number,
    readonly expected: number,
  ) {
    super(`checkpoint of projection "${projection}" moved back from ${expected} to ${stored} (read models rebuilt?)`);
    this.name = 'CheckpointMovedBack';
  }
}

interface FailureRow {
  projection: string;
  global_position: number;
  stream_id: string;
  stream_version: number;
  event_type: string;
  event_id: string;
  error: string;
}

function failureOf(r: FailureRow): ProjectionFailure {
  return {
    projection: r.projection,
    globalPosition: r.global_position,
    streamId: r.stream_id,
    streamVersion: r.stream_version,
    eventType: r.event_type,
    eventId: r.event_id,
    error: r.error,
  };
}

export type OpenOptions = SqliteEngineOptions;

/**
 * The read models and one checkpoint per projection, in a SQLite file (`<CBEC_DATA_DIR>/read-models.db`)
 * or a PostgreSQL schema (`DATABASE_URL`), the same code on both (`ReadModelEngine`). Several processes
 * may share the store: every batch runs in a write transaction that re-reads the stored checkpoints, so
 * an event another process already applied is skipped, never applied twice.
 */
export class ReadModelDb {
  private constructor(
    readonly engine: ReadModelEngine,
    readonly projections: readonly Projection[],
  ) {
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`two projections are named "${p.name}"`);
      names.add(p.name);
    }
  }

  /** A SQLite file by its path, or any engine; creates what is missing (unless read-only). */
  static async open(target: string | ReadModelEngine, projections: readonly Projection[], options: OpenOptions = {}): Promise<ReadModelDb> {
    const engine = typeof target === 'string' ? new SqliteReadModelEngine(target, options) : target;
    const rm = new ReadModelDb(engine, projections);
    try {
      if (!options.readonly) await rm.ensureSchema();
    } catch (error) {
      await engine.close();
      throw error;
    }
    return rm;
  }

  get location(): string {
    return this.engine.location;
  }

  /** The queries' connection. */
  get reader(): SqlReader {
    return this.engine.reader;
  }

  /** The SQLite file's reading connection (tools and specs that read rows synchronously); SQLite only. */
  get db(): Database.Database {
    if (!(this.engine instanceof SqliteReadModelEngine)) throw new TypeError(`the read models are in ${this.engine.location}, not a SQLite file`);
    return this.engine.readConnection;
  }

  /** Creates missing tables; a projection whose stored version differs is dropped and starts again from 0. */
  private async ensureSchema(): Promise<void> {
    await this.engine.write(async (tx) => {
      await tx.exec(
        this.engine.ddl(`CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (projection TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL)`),
      );
      await tx.exec(
        this.engine.ddl(`CREATE TABLE IF NOT EXISTS ${FAILURE_TABLE} (projection TEXT PRIMARY KEY, global_position INTEGER NOT NULL, stream_id TEXT NOT NULL,
         stream_version INTEGER NOT NULL, event_type TEXT NOT NULL, event_id TEXT NOT NULL, error TEXT NOT NULL)`),
      );
      for (const p of this.projections) {
        const stored = await tx.get<Checkpoint>(`SELECT position, version FROM ${CHECKPOINT_TABLE} WHERE projection = ?`, p.name);
        if (stored && stored.version === p.version && (await this.hasTables(p, tx))) continue;
        await this.recreate(p, tx);
        await tx.run(`DELETE FROM ${FAILURE_TABLE} WHERE projection = ?`, p.name);
        await tx.run(
          `INSERT INTO ${CHECKPOINT_TABLE} (projection, position, version) VALUES (?, 0, ?)
           ON CONFLICT (projection) DO UPDATE SET position = 0, version = excluded.version`,
          p.name,
          p.version,
        );
      }
    });
  }

  private async hasTables(p: Projection, via: SqlReader): Promise<boolean> {
    for (const t of p.tables) if (!(await via.hasTable(t.name))) return false;
    return true;
  }

  /** Drops and creates a projection's tables (inside the caller's transaction). */
  async recreate(p: Projection, tx: EngineTx): Promise<void> {
    for (const t of p.tables) {
      await tx.exec(`DROP TABLE IF EXISTS ${this.engine.own(t.name)}`);
      await tx.exec(this.engine.ddl(t.ddl));
      for (const index of t.indexes ?? []) await tx.exec(index);
    }
  }

  async checkpoints(): Promise<Map<string, Checkpoint>> {
    const rows = await this.reader.all<Checkpoint & { projection: string }>(`SELECT projection, position, version FROM ${CHECKPOINT_TABLE}`);
    const known = new Set(this.projections.map((p) => p.name));
    return new Map(rows.filter((r) => known.has(r.projection)).map((r) => [r.projection, { position: r.position, version: r.version }]));
  }

  /**
   * The stored failure of each projection that stopped at an event (none in a file written before the
   * failures were stored).
   */
  async failures(): Promise<Map<string, ProjectionFailure>> {
    if (!(await this.reader.hasTable(FAILURE_TABLE))) return new Map();
    const rows = await this.reader.all<FailureRow>(`SELECT * FROM ${FAILURE_TABLE}`);
    const known = new Set(this.projections.map((p) => p.name));
    return new Map(rows.filter((r) => known.has(r.projection)).map((r) => [r.projection, failureOf(r)]));
  }

  /**
   * Applies a batch of events (in log order) to every projection not in `skip`, each projection's rows and
   * checkpoint in one transaction. `expected` holds the checkpoints the caller last saw: a stored one
   * lower than that throws `CheckpointMovedBack` and nothing is applied.
   */
  async applyBatch(
    events: readonly RecordedEvent[],
    options: {
      expected?: ReadonlyMap<string, number>;
      skip?: ReadonlySet<string>;
      /**
       * Test hook, called inside the transaction after every row and checkpoint is written, just before
       * COMMIT: throwing from it is a crash at the worst moment (nothing of the batch is kept).
       */
      beforeCommit?: (positions: ReadonlyMap<string, number>) => void;
    } = {},
  ): Promise<BatchResult> {
    const positions = new Map<string, number>();
    const failures: ProjectionFailure[] = [];
    const last = events.length ? events[events.length - 1].globalPosition : 0;
    await this.engine.write(async (tx) => {
      for (const p of this.projections) {
        if (options.skip?.has(p.name)) continue;
        const stored = (await tx.get<{ position: number }>(`SELECT position FROM ${CHECKPOINT_TABLE} WHERE projection = ?`, p.name))?.position ?? 0;
        const expected = options.expected?.get(p.name);
        if (expected !== undefined && stored < expected) throw new CheckpointMovedBack(p.name, stored, expected);
        if (stored >= last) {
          positions.set(p.name, stored);
          continue;
        }
        let current: RecordedEvent | undefined;
        try {
          // A savepoint per projection: one projection's bug rolls back only its own part of the batch.
          await tx.savepoint(async () => {
            for (const event of events) {
              if (event.globalPosition <= stored) continue;
              current = event;
              await p.apply(event, tx);
            }
            await tx.run(SET_CHECKPOINT, last, p.name);
            // Past its checkpoint: a failure stored earlier (a fixed bug, a rebuilt store) is over.
            await tx.run(`DELETE FROM ${FAILURE_TABLE} WHERE projection = ?`, p.name);
          });
          positions.set(p.name, last);
        } catch (error) {
          if (error instanceof CheckpointMovedBack) throw error;
          positions.set(p.name, await this.applyBefore(p, events, stored, current, tx));
          const failure: ProjectionFailure = {
            projection: p.name,
            globalPosition: current?.globalPosition ?? last,
            streamId: current?.streamId ?? '',
            streamVersion: current?.version ?? -1,
            eventType: current?.type ?? '',
            eventId: current?.eventId ?? '',
            error: error instanceof Error ? error.message : String(error),
          };
          await tx.run(
            `INSERT INTO ${FAILURE_TABLE} (projection, global_position, stream_id, stream_version, event_type, event_id, error)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (projection) DO UPDATE SET global_position = excluded.global_position, stream_id = excluded.stream_id,
               stream_version = excluded.stream_version, event_type = excluded.event_type, event_id = excluded.event_id, error = excluded.error`,
            failure.projection,
            failure.globalPosition,
            failure.streamId,
            failure.streamVersion,
            failure.eventType,
            failure.eventId,
            failure.error,
          );
          failures.push(failure);
        }
      }
      options.beforeCommit?.(positions);
    });
    return { positions, failures };
  }

  /**
   * After `p` failed at `failing`, applies the events of the batch before it again (in a savepoint of
   * their own), so that its rows and checkpoint stop right before the failing event rather than at the
   * batch's start. Returns the checkpoint it reached (`stored` if even those fail).
   */
  private async applyBefore(
    p: Projection,
    events: readonly RecordedEvent[],
    stored: number,
    failing: RecordedEvent | undefined,
    tx: EngineTx,
  ): Promise<number> {
    const before = events.filter((e) => e.globalPosition > stored && failing !== undefined && e.globalPosition < failing.globalPosition);
    if (!before.length) return stored;
    const reached = before[before.length - 1].globalPosition;
    try {
      await tx.savepoint(async () => {
        for (const event of before) await p.apply(event, tx);
        await tx.run(SET_CHECKPOINT, reached, p.name);
      });
      return reached;
    } catch {
      return stored;
    }
  }

  async close(): Promise<void> {
    await this.engine.close();
  }
}

const SET_CHECKPOINT = `UPDATE ${CHECKPOINT_TABLE} SET position = ? WHERE projection = ?`;
