import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CaseProcess, ProcessEvent, ProcessState, ReservationWatch } from './process.state';
import { keysOf } from './process.state';
import type { ProcessCommand } from './react';

/**
 * The process's durable memory: its state rows, the checkpoint of its store subscription and an outbox of
 * the commands it decided, all written in ONE transaction per batch of events, so after a crash it resumes
 * exactly where its state stands. Two adapters pass one contract (process-state.contract.ts): SQLite in
 * `<CBEC_DATA_DIR>/process.db` (the embedded default) and PostgreSQL with DATABASE_URL, so that servers
 * sharing one database share one process state.
 *
 * Several instances may share the store (two processes on one data dir, or servers on one database): each
 * event is applied under a write lock, once; an instance whose subscription is behind finds the checkpoint
 * past the event and skips it. Commands are dispatched at least once and made idempotent by their
 * deterministic ids.
 */
export type OutboxStatus = 'pending' | 'done' | 'moot' | 'failed';

export interface OutboxEntry {
  commandId: string;
  command: ProcessCommand;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
}

/** What `applyAll` calls per event: the state it touched after the event, and the commands decided. */
export type ProcessStep = (state: ProcessState, event: ProcessEvent) => { state: ProcessState; commands: ProcessCommand[] };

export abstract class ProcessStateStore {
  /** Identifies this process's claims on outbox rows. */
  readonly instanceId = randomUUID();

  /** Position of the last event the state includes (0: none). */
  abstract checkpoint(): Promise<number>;
  /**
   * Applies events in log order: for each, its rows and the commands `step` decides, then the checkpoint,
   * all in ONE write transaction (a batch costs one commit). Events at or before the checkpoint are
   * skipped: this instance replayed them, or another instance sharing the store applied them first.
   * A step that throws leaves nothing of the batch. Returns the events applied and the commands added.
   */
  abstract applyAll(
    events: ReadonlyArray<ProcessEvent & { globalPosition: number }>,
    step: ProcessStep,
    now: string,
  ): Promise<{ applied: number; commands: number }>;
  /** The rows a tick at `today` (Asia/Shanghai date) and `reservedBefore` (ISO instant) may act on. */
  abstract dueCandidates(today: string, reservedBefore: string): Promise<ProcessState>;
  abstract getCase(applicationId: string): Promise<CaseProcess | null>;
  /** Adds commands not seen before (by command id, in any status); returns the ids newly added. */
  abstract enqueue(commands: ProcessCommand[], now: string): Promise<string[]>;
  /** Pending commands, oldest first. */
  abstract pending(limit?: number): Promise<OutboxEntry[]>;
  /** The whole outbox, oldest first. */
  abstract outbox(): Promise<OutboxEntry[]>;
  /**
   * Takes a pending command for this instance for `leaseMs` (wall clock: it is about a live process, not
   * business time). False when another instance holds it or it is no longer pending. A crashed holder's
   * claim runs out and the command is taken over.
   */
  abstract claim(commandId: string, leaseMs: number): Promise<boolean>;
  abstract settle(commandId: string, status: Exclude<OutboxStatus, 'pending'>, detail: string | null, now: string): Promise<void>;
  /** A failed attempt that may succeed later (a conflict that outlived its retries, a store hiccup): `failed` after maxAttempts. */
  abstract retryLater(commandId: string, error: string, now: string, maxAttempts: number): Promise<OutboxStatus>;
  /**
   * Forgets the commands settled `done` or `moot` before `before` (ISO instant); `failed` ones stay for
   * whoever looks into them. A settled row only kept the command from being queued again, and by then the
   * state it was decided from has moved on (and a repeat would be answered from the store, its ids being
   * derived from its cause). Returns how many were forgotten.
   */
  abstract pruneSettled(before: string): Promise<number>;
  /** Drops a command so a later tick may decide it afresh (e.g. the case says the review is not yet due). */
  abstract forget(commandId: string): Promise<void>;
  abstract close(): Promise<void>;

  /** One event: see applyAll. False when the checkpoint was already past it. */
  async apply(
    event: ProcessEvent & { globalPosition: number },
    step: (state: ProcessState) => { state: ProcessState; commands: ProcessCommand[] },
    now: string,
  ): Promise<boolean> {
    return (await this.applyAll([event], (state) => step(state), now)).applied === 1;
  }
}

/** The earliest due date of a review not yet recorded overdue, while the case is under review (null otherwise). */
export function nextDue(c: CaseProcess): string | null {
  if (c.status !== 'under-review') return null;
  const due = c.reviews.filter((r) => !r.overdue).map((r) => r.dueDate);
  return due.length ? due.sort()[0] : null;
}

export function toOutboxEntry(row: Record<string, unknown>): OutboxEntry {
  return {
    commandId: row.command_id as string,
    command: JSON.parse(row.command as string) as ProcessCommand,
    status: row.status as OutboxStatus,
    attempts: Number(row.attempts),
    lastError: (row.last_error as string | null) ?? null,
  };
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS process_checkpoint (name TEXT PRIMARY KEY, position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS process_cases (
  application_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  -- earliest due date of a review not yet recorded overdue, while the case is under review (NULL otherwise)
  next_due TEXT
);
CREATE INDEX IF NOT EXISTS process_cases_next_due ON process_cases(next_due) WHERE next_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS process_reservations (
  reservation_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  reserved_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS process_outbox (
  command_id TEXT PRIMARY KEY,
  command TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  -- which instance is dispatching it, until when (wall-clock ms): two instances never run one command at once
  claimed_by TEXT,
  claimed_until INTEGER
);
CREATE INDEX IF NOT EXISTS process_outbox_pending ON process_outbox(status) WHERE status = 'pending';
`;

const CHECKPOINT = 'approval-process';

/** `<CBEC_DATA_DIR>/process.db` (SQLite, WAL): the embedded default; the tracker thread opens it again by its file. */
export class SqliteProcessStateStore extends ProcessStateStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
    super();
    mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file, { timeout: 10_000 });
    this.db.pragma('journal_mode = WAL');
    // NORMAL in WAL: a power loss may undo the last transactions, state and checkpoint together (one
    // transaction), and the events are replayed from the older checkpoint with the same command ids.
    this.db.pragma('synchronous = NORMAL');
    // Statement and savepoint journals in memory: they are never needed after a crash.
    this.db.pragma('temp_store = MEMORY');
    this.db.exec(SCHEMA);
  }

  /** Prepared once per connection: the event path runs the same few statements for every event. */
  private stmt(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  override async checkpoint(): Promise<number> {
    return this.checkpointNow();
  }

  private checkpointNow(): number {
    const row = this.stmt('SELECT position FROM process_checkpoint WHERE name = ?').get(CHECKPOINT) as { position: number } | undefined;
    return row?.position ?? 0;
  }

  override async applyAll(
    events: ReadonlyArray<ProcessEvent & { globalPosition: number }>,
    step: ProcessStep,
    now: string,
  ): Promise<{ applied: number; commands: number }> {
    return this.db
      .transaction(() => {
        const from = this.checkpointNow();
        let checkpoint = from;
        let applied = 0;
        let commandCount = 0;
        for (const event of events) {
          if (event.globalPosition <= checkpoint) continue;
          const keys = keysOf(event);
          const before = this.load(keys.cases, keys.reservations);
          const { state, commands } = step(before, event);
          this.save(before, state);
          commandCount += this.insertCommands(commands, now).length;
          checkpoint = event.globalPosition;
          applied++;
        }
        if (checkpoint > from) {
          this.stmt('INSERT INTO process_checkpoint (name, position) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET position = excluded.position').run(
            CHECKPOINT,
            checkpoint,
          );
        }
        return { applied, commands: commandCount };
      })
      .immediate();
  }

  override async dueCandidates(today: string, reservedBefore: string): Promise<ProcessState> {
    const cases: Record<string, CaseProcess> = {};
    for (const row of this.stmt('SELECT state FROM process_cases WHERE next_due IS NOT NULL AND next_due < ?').all(today) as Array<{
      state: string;
    }>) {
      const c = JSON.parse(row.state) as CaseProcess;
      cases[c.applicationId] = c;
    }
    const reservations: Record<string, ReservationWatch> = {};
    for (const row of this.stmt('SELECT state FROM process_reservations WHERE reserved_at <= ?').all(reservedBefore) as Array<{
      state: string;
    }>) {
      const r = JSON.parse(row.state) as ReservationWatch;
      reservations[r.reservationId] = r;
    }
    return { cases, reservations };
  }

  override async getCase(applicationId: string): Promise<CaseProcess | null> {
    const row = this.stmt('SELECT state FROM process_cases WHERE application_id = ?').get(applicationId) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as CaseProcess) : null;
  }

  override async enqueue(commands: ProcessCommand[], now: string): Promise<string[]> {
    return this.db.transaction(() => this.insertCommands(commands, now)).immediate();
  }

  override async pending(limit = 100): Promise<OutboxEntry[]> {
    return (this.stmt("SELECT * FROM process_outbox WHERE status = 'pending' ORDER BY rowid LIMIT ?").all(limit) as Array<Record<string, unknown>>).map(
      toOutboxEntry,
    );
  }

  override async outbox(): Promise<OutboxEntry[]> {
    return (this.stmt('SELECT * FROM process_outbox ORDER BY rowid').all() as Array<Record<string, unknown>>).map(toOutboxEntry);
  }

  override async claim(commandId: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    return (
      this.stmt(
        "UPDATE process_outbox SET claimed_by = ?, claimed_until = ? WHERE command_id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)",
      ).run(this.instanceId, now + leaseMs, commandId, now, this.instanceId).changes === 1
    );
  }

  override async settle(commandId: string, status: Exclude<OutboxStatus, 'pending'>, detail: string | null, now: string): Promise<void> {
    this.stmt(
      'UPDATE process_outbox SET status = ?, last_error = ?, attempts = attempts + 1, updated_at = ?, claimed_by = NULL, claimed_until = NULL WHERE command_id = ?',
    ).run(status, detail, now, commandId);
  }

  override async retryLater(commandId: string, error: string, now: string, maxAttempts: number): Promise<OutboxStatus> {
    return this.db
      .transaction((): OutboxStatus => {
        const row = this.stmt('SELECT attempts FROM process_outbox WHERE command_id = ?').get(commandId) as { attempts: number } | undefined;
        if (!row) return 'failed';
        const status: OutboxStatus = row.attempts + 1 >= maxAttempts ? 'failed' : 'pending';
        this.stmt(
          'UPDATE process_outbox SET status = ?, attempts = attempts + 1, last_error = ?, updated_at = ?, claimed_by = NULL, claimed_until = NULL WHERE command_id = ?',
        ).run(status, error, now, commandId);
        return status;
      })
      .immediate();
  }

  override async pruneSettled(before: string): Promise<number> {
    return this.stmt("DELETE FROM process_outbox WHERE status IN ('done', 'moot') AND updated_at < ?").run(before).changes;
  }

  override async forget(commandId: string): Promise<void> {
    this.stmt('DELETE FROM process_outbox WHERE command_id = ?').run(commandId);
  }

  override async close(): Promise<void> {
    this.closeNow();
  }

  /** Closes at once (the tracker thread's exit path). */
  closeNow(): void {
    if (this.db.open) this.db.close();
  }

  private load(caseIds: string[], reservationIds: string[]): ProcessState {
    const state: ProcessState = { cases: {}, reservations: {} };
    const getCase = this.stmt('SELECT state FROM process_cases WHERE application_id = ?');
    for (const id of caseIds) {
      const row = getCase.get(id) as { state: string } | undefined;
      if (row) state.cases[id] = JSON.parse(row.state) as CaseProcess;
    }
    const getReservation = this.stmt('SELECT state FROM process_reservations WHERE reservation_id = ?');
    for (const id of reservationIds) {
      const row = getReservation.get(id) as { state: string } | undefined;
      if (row) state.reservations[id] = JSON.parse(row.state) as ReservationWatch;
    }
    return state;
  }

  private save(before: ProcessState, after: ProcessState): void {
    const upsertCase = this.stmt(
      'INSERT INTO process_cases (application_id, state, next_due) VALUES (?, ?, ?) ON CONFLICT(application_id) DO UPDATE SET state = excluded.state, next_due = excluded.next_due',
    );
    for (const [id, c] of Object.entries(after.cases)) {
      if (before.cases[id] !== c) upsertCase.run(id, JSON.stringify(c), nextDue(c));
    }
    const upsertReservation = this.stmt(
      'INSERT INTO process_reservations (reservation_id, state, reserved_at) VALUES (?, ?, ?) ON CONFLICT(reservation_id) DO UPDATE SET state = excluded.state, reserved_at = excluded.reserved_at',
    );
    for (const [id, r] of Object.entries(after.reservations)) {
      if (before.reservations[id] !== r) upsertReservation.run(id, JSON.stringify(r), new Date(r.reservedAt).toISOString());
    }
    const deleteReservation = this.stmt('DELETE FROM process_reservations WHERE reservation_id = ?');
    for (const id of Object.keys(before.reservations)) {
      if (!(id in after.reservations)) deleteReservation.run(id);
    }
  }

  private insertCommands(commands: ProcessCommand[], now: string): string[] {
    const insert = this.stmt(
      "INSERT INTO process_outbox (command_id, command, status, created_at, updated_at) VALUES (?, ?, 'pending', ?, ?) ON CONFLICT(command_id) DO NOTHING",
    );
    return commands.filter((c) => insert.run(c.commandId, JSON.stringify(c), now, now).changes > 0).map((c) => c.commandId);
  }
}
