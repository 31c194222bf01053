import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CaseProcess, ProcessEvent, ProcessState, ReservationWatch } from './process.state';
import { keysOf } from './process.state';
import type { ProcessCommand } from './react';

/**
 * The process's durable memory, `<CBEC_DATA_DIR>/process.db` (SQLite, WAL): its state rows, the
 * checkpoint of its store subscription and an outbox of the commands it decided, all written in ONE
 * transaction per event, so after a crash it resumes exactly where its state stands.
 *
 * Several instances may share the file (two processes on one data dir): each event is applied under a
 * write lock, once; an instance whose subscription is behind finds the checkpoint past the event and
 * skips it. Commands are dispatched at least once and made idempotent by their deterministic ids.
 */

export type OutboxStatus = 'pending' | 'done' | 'moot' | 'failed';

export interface OutboxEntry {
  commandId: string;
  command: ProcessCommand;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
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

export class ProcessStateStore {
  private readonly db: Database.Database;
  /** Identifies this process's claims on outbox rows. */
  readonly instanceId = randomUUID();
  private readonly statements = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
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

  checkpoint(): number {
    const row = this.stmt('SELECT position FROM process_checkpoint WHERE name = ?').get(CHECKPOINT) as { position: number } | undefined;
    return row?.position ?? 0;
  }

  /**
   * Applies events in log order: for each, its rows and the commands `step` decides, then the checkpoint,
   * all in ONE write transaction (a batch costs one commit). Events at or before the checkpoint are
   * skipped: this instance replayed them, or another instance sharing the file applied them first.
   * Returns the number of commands added to the outbox.
   */
  applyAll(
    events: ReadonlyArray<ProcessEvent & { globalPosition: number }>,
    step: (state: ProcessState, event: ProcessEvent) => { state: ProcessState; commands: ProcessCommand[] },
    now: string,
  ): { applied: number; commands: number } {
    return this.db
      .transaction(() => {
        const from = this.checkpoint();
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

  /** One event: see applyAll. False when the checkpoint was already past it. */
  apply(
    event: ProcessEvent & { globalPosition: number },
    step: (state: ProcessState) => { state: ProcessState; commands: ProcessCommand[] },
    now: string,
  ): boolean {
    return this.applyAll([event], (state) => step(state), now).applied === 1;
  }

  /** The rows a tick at `today` (Asia/Shanghai date) and `reservedBefore` (ISO instant) may act on. */
  dueCandidates(today: string, reservedBefore: string): ProcessState {
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

  getCase(applicationId: string): CaseProcess | null {
    const row = this.stmt('SELECT state FROM process_cases WHERE application_id = ?').get(applicationId) as { state: string } | undefined;
    return row ? (JSON.parse(row.state) as CaseProcess) : null;
  }

  /** Adds commands not seen before (by command id, in any status); returns the ids newly added. */
  enqueue(commands: ProcessCommand[], now: string): string[] {
    return this.db.transaction(() => this.insertCommands(commands, now)).immediate();
  }

  pending(limit = 100): OutboxEntry[] {
    return (this.stmt("SELECT * FROM process_outbox WHERE status = 'pending' ORDER BY rowid LIMIT ?").all(limit) as Array<Record<string, unknown>>).map(
      toEntry,
    );
  }

  outbox(): OutboxEntry[] {
    return (this.stmt('SELECT * FROM process_outbox ORDER BY rowid').all() as Array<Record<string, unknown>>).map(toEntry);
  }

  /**
   * Takes a pending command for this instance for `leaseMs` (wall clock: it is about a live process, not
   * business time). False when another instance holds it or it is no longer pending. A crashed holder's
   * lease runs out and the command is taken over.
   */
  claim(commandId: string, leaseMs: number): boolean {
    const now = Date.now();
    return (
      this.stmt(
        "UPDATE process_outbox SET claimed_by = ?, claimed_until = ? WHERE command_id = ? AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < ? OR claimed_by = ?)",
      ).run(this.instanceId, now + leaseMs, commandId, now, this.instanceId).changes === 1
    );
  }

  settle(commandId: string, status: Exclude<OutboxStatus, 'pending'>, detail: string | null, now: string): void {
    this.stmt(
      'UPDATE process_outbox SET status = ?, last_error = ?, attempts = attempts + 1, updated_at = ?, claimed_by = NULL, claimed_until = NULL WHERE command_id = ?',
    ).run(status, detail, now, commandId);
  }

  /** A failed attempt that may succeed later (a conflict that outlived its retries, a store hiccup). */
  retryLater(commandId: string, error: string, now: string, maxAttempts: number): OutboxStatus {
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

  /**
   * Forgets the commands settled `done` or `moot` before `before` (ISO instant); `failed` ones stay for
   * whoever looks into them. A settled row only kept the command from being queued again, and by then the
   * state it was decided from has moved on (and a repeat would be answered from the store, its ids being
   * derived from its cause). Returns how many were forgotten.
   */
  pruneSettled(before: string): number {
    return this.stmt("DELETE FROM process_outbox WHERE status IN ('done', 'moot') AND updated_at < ?").run(before).changes;
  }

  /** Drops a command so a later tick may decide it afresh (e.g. the case says the review is not yet due). */
  forget(commandId: string): void {
    this.stmt('DELETE FROM process_outbox WHERE command_id = ?').run(commandId);
  }

  close(): void {
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

function nextDue(c: CaseProcess): string | null {
  if (c.status !== 'under-review') return null;
  const due = c.reviews.filter((r) => !r.overdue).map((r) => r.dueDate);
  return due.length ? due.sort()[0] : null;
}

function toEntry(row: Record<string, unknown>): OutboxEntry {
  return {
    commandId: row.command_id as string,
    command: JSON.parse(row.command as string) as ProcessCommand,
    status: row.status as OutboxStatus,
    attempts: row.attempts as number,
    lastError: (row.last_error as string | null) ?? null,
  };
}
