import Database from 'better-sqlite3';
import type { RecordedEvent } from '@cbec/event-store';
import type { Projection, ProjectionTx } from './projection';

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

class CachedTx implements ProjectionTx {
  private readonly statements = new Map<string, Database.Statement>();
  constructor(private readonly db: Database.Database) {}

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  run(sql: string, ...params: unknown[]): number {
    return this.statement(sql).run(...params).changes;
  }

  get<T>(sql: string, ...params: unknown[]): T | undefined {
    return this.statement(sql).get(...params) as T | undefined;
  }

  all<T>(sql: string, ...params: unknown[]): T[] {
    return this.statement(sql).all(...params) as T[];
  }
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement of `db`, prepared once per connection (the read paths run the same SQL often). */
export function statement(db: Database.Database, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    cache.set(sql, s);
  }
  return s;
}

export interface OpenOptions {
  /**
   * Scratch storage (a rebuild): no fsync at all. A crash loses the scratch file, which is rebuilt anyway.
   * Live storage uses WAL with synchronous=NORMAL: a commit survives a process crash; an OS crash may
   * lose the last commits together with their checkpoints, which are then re-applied from the log.
   */
  scratch?: boolean;
  readonly?: boolean;
}

/**
 * The SQLite file holding the read models (`<CBEC_DATA_DIR>/read-models.db`) and one checkpoint per
 * projection. Several processes may share it: every batch runs in a write (IMMEDIATE) transaction that
 * re-reads the stored checkpoints, so an event another process already applied is skipped, never
 * applied twice.
 */
export class ReadModelDb {
  readonly db: Database.Database;
  readonly tx: ProjectionTx;

  private constructor(
    readonly file: string,
    readonly projections: readonly Projection[],
    options: OpenOptions,
  ) {
    this.db = new Database(file, { readonly: options.readonly ?? false });
    if (!options.readonly) {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma(options.scratch ? 'synchronous = OFF' : 'synchronous = NORMAL');
      // A batch's per-projection savepoints journal every page they change: in memory, not in a temp file
      // spilled after 64 KiB (a sub-journal is never needed after a crash).
      this.db.pragma('temp_store = MEMORY');
    }
    this.db.pragma('busy_timeout = 10000');
    this.tx = new CachedTx(this.db);
    const names = new Set<string>();
    for (const p of projections) {
      if (names.has(p.name)) throw new Error(`two projections are named "${p.name}"`);
      names.add(p.name);
    }
  }

  static open(file: string, projections: readonly Projection[], options: OpenOptions = {}): ReadModelDb {
    const rm = new ReadModelDb(file, projections, options);
    if (!options.readonly) rm.ensureSchema();
    return rm;
  }

  /** Creates missing tables; a projection whose stored version differs is dropped and starts again from 0. */
  private ensureSchema(): void {
    this.db.exec(`CREATE TABLE IF NOT EXISTS ${CHECKPOINT_TABLE} (projection TEXT PRIMARY KEY, position INTEGER NOT NULL, version INTEGER NOT NULL)`);
    this.db.exec(
      `CREATE TABLE IF NOT EXISTS ${FAILURE_TABLE} (projection TEXT PRIMARY KEY, global_position INTEGER NOT NULL, stream_id TEXT NOT NULL,
         stream_version INTEGER NOT NULL, event_type TEXT NOT NULL, event_id TEXT NOT NULL, error TEXT NOT NULL)`,
    );
    this.db
      .transaction(() => {
        for (const p of this.projections) {
          const stored = this.db.prepare(`SELECT position, version FROM ${CHECKPOINT_TABLE} WHERE projection = ?`).get(p.name) as Checkpoint | undefined;
          if (stored && stored.version === p.version && this.hasTables(p)) continue;
          this.recreate(p);
          this.db.prepare(`DELETE FROM ${FAILURE_TABLE} WHERE projection = ?`).run(p.name);
          this.db
            .prepare(
              `INSERT INTO ${CHECKPOINT_TABLE} (projection, position, version) VALUES (?, 0, ?)
               ON CONFLICT (projection) DO UPDATE SET position = 0, version = excluded.version`,
            )
            .run(p.name, p.version);
        }
      })
      .immediate();
  }

  private hasTables(p: Projection): boolean {
    return p.tables.every((t) => this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(t.name) !== undefined);
  }

  /** Drops and creates a projection's tables (inside the caller's transaction). */
  recreate(p: Projection): void {
    for (const t of p.tables) {
      this.db.exec(`DROP TABLE IF EXISTS main.${t.name}`);
      this.db.exec(t.ddl);
      for (const index of t.indexes ?? []) this.db.exec(index);
    }
  }

  checkpoints(): Map<string, Checkpoint> {
    const rows = this.db.prepare(`SELECT projection, position, version FROM ${CHECKPOINT_TABLE}`).all() as Array<Checkpoint & { projection: string }>;
    const known = new Set(this.projections.map((p) => p.name));
    return new Map(rows.filter((r) => known.has(r.projection)).map((r) => [r.projection, { position: r.position, version: r.version }]));
  }

  /**
   * The stored failure of each projection that stopped at an event (none in a file written before the
   * failures were stored).
   */
  failures(): Map<string, ProjectionFailure> {
    const exists = statement(this.db, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '${FAILURE_TABLE}'`).get();
    if (!exists) return new Map();
    const rows = statement(this.db, `SELECT * FROM ${FAILURE_TABLE}`).all() as FailureRow[];
    const known = new Set(this.projections.map((p) => p.name));
    return new Map(rows.filter((r) => known.has(r.projection)).map((r) => [r.projection, failureOf(r)]));
  }

  /**
   * Applies a batch of events (in log order) to every projection not in `skip`, each projection's rows and
   * checkpoint in one transaction. `expected` holds the checkpoints the caller last saw: a stored one
   * lower than that throws `CheckpointMovedBack` and nothing is applied.
   */
  applyBatch(
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
  ): BatchResult {
    const positions = new Map<string, number>();
    const failures: ProjectionFailure[] = [];
    const getCheckpoint = statement(this.db, `SELECT position FROM ${CHECKPOINT_TABLE} WHERE projection = ?`);
    const setCheckpoint = statement(this.db, `UPDATE ${CHECKPOINT_TABLE} SET position = ? WHERE projection = ?`);
    const clearFailure = statement(this.db, `DELETE FROM ${FAILURE_TABLE} WHERE projection = ?`);
    const setFailure = statement(
      this.db,
      `INSERT OR REPLACE INTO ${FAILURE_TABLE} (projection, global_position, stream_id, stream_version, event_type, event_id, error)
       VALUES (@projection, @globalPosition, @streamId, @streamVersion, @eventType, @eventId, @error)`,
    );
    const last = events.length ? events[events.length - 1].globalPosition : 0;
    this.db
      .transaction(() => {
        for (const p of this.projections) {
          if (options.skip?.has(p.name)) continue;
          const stored = (getCheckpoint.get(p.name) as { position: number } | undefined)?.position ?? 0;
          const expected = options.expected?.get(p.name);
          if (expected !== undefined && stored < expected) throw new CheckpointMovedBack(p.name, stored, expected);
          if (stored >= last) {
            positions.set(p.name, stored);
            continue;
          }
          let current: RecordedEvent | undefined;
          try {
            // A savepoint per projection: one projection's bug rolls back only its own part of the batch.
            this.db.transaction(() => {
              for (const event of events) {
                if (event.globalPosition <= stored) continue;
                current = event;
                p.apply(event, this.tx);
              }
              setCheckpoint.run(last, p.name);
              // Past its checkpoint: a failure stored earlier (a fixed bug, a rebuilt file) is over.
              clearFailure.run(p.name);
            })();
            positions.set(p.name, last);
          } catch (error) {
            if (error instanceof CheckpointMovedBack) throw error;
            positions.set(p.name, this.applyBefore(p, events, stored, current, setCheckpoint));
            const failure: ProjectionFailure = {
              projection: p.name,
              globalPosition: current?.globalPosition ?? last,
              streamId: current?.streamId ?? '',
              streamVersion: current?.version ?? -1,
              eventType: current?.type ?? '',
              eventId: current?.eventId ?? '',
              error: error instanceof Error ? error.message : String(error),
            };
            setFailure.run(failure);
            failures.push(failure);
          }
        }
        options.beforeCommit?.(positions);
      })
      .immediate();
    return { positions, failures };
  }

  /**
   * After `p` failed at `failing`, applies the events of the batch before it again (in a savepoint of
   * their own), so that its rows and checkpoint stop right before the failing event rather than at the
   * batch's start. Returns the checkpoint it reached (`stored` if even those fail).
   */
  private applyBefore(
    p: Projection,
    events: readonly RecordedEvent[],
    stored: number,
    failing: RecordedEvent | undefined,
    setCheckpoint: Database.Statement,
  ): number {
    const before = events.filter((e) => e.globalPosition > stored && failing !== undefined && e.globalPosition < failing.globalPosition);
    if (!before.length) return stored;
    const reached = before[before.length - 1].globalPosition;
    try {
      this.db.transaction(() => {
        for (const event of before) p.apply(event, this.tx);
        setCheckpoint.run(reached, p.name);
      })();
      return reached;
    } catch {
      return stored;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
