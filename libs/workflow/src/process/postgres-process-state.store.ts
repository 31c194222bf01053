import { createHash } from 'node:crypto';
import type { Pool, PoolClient } from 'pg';
import { ensurePostgresTables, inPostgresTransaction, postgresPool } from '@cbec/event-store';
import type { CaseProcess, ProcessEvent, ProcessState, ReservationWatch } from './process.state';
import { keysOf } from './process.state';
import { nextDue, type OutboxEntry, type OutboxStatus, ProcessStateStore, type ProcessStep, toOutboxEntry } from './process-state.store';
import type { ProcessCommand } from './react';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS process_checkpoint (name TEXT COLLATE "C" PRIMARY KEY, position BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS process_cases (
  application_id TEXT COLLATE "C" PRIMARY KEY,
  state TEXT NOT NULL,
  next_due TEXT COLLATE "C"
);
CREATE INDEX IF NOT EXISTS process_cases_next_due ON process_cases(next_due) WHERE next_due IS NOT NULL;
CREATE TABLE IF NOT EXISTS process_reservations (
  reservation_id TEXT COLLATE "C" PRIMARY KEY,
  state TEXT NOT NULL,
  reserved_at TEXT COLLATE "C" NOT NULL
);
CREATE TABLE IF NOT EXISTS process_outbox (
  command_id TEXT COLLATE "C" PRIMARY KEY,
  -- insertion order (SQLite's rowid): numbered under the store's lock, so no sequence is needed
  seq BIGINT NOT NULL,
  command TEXT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT COLLATE "C" NOT NULL,
  claimed_by TEXT,
  claimed_until BIGINT
);
CREATE INDEX IF NOT EXISTS process_outbox_pending ON process_outbox(seq) WHERE status = 'pending';
`;

const CHECKPOINT = 'approval-process';
/** Serialises the writers of the process state (applyAll, enqueue) across servers, as SQLite's write lock does. */
const LOCK_KEY = createHash('sha256').update('cbec-process-state').digest().readBigInt64BE(0).toString();

/**
 * The approval process's state, checkpoint and outbox in PostgreSQL (DATABASE_URL): the same tables as
 * process.db, created on first use. A batch of events is one transaction: it takes a transaction-level
 * advisory lock (two servers handing the tracker over never apply one event twice), reads the checkpoint,
 * loads the rows the batch touches in one query per table, folds the events in memory, and writes the
 * changed rows, the new commands and the checkpoint before COMMIT. Conservative SQL: no `ON CONFLICT`
 * (rows are replaced by DELETE + INSERT under the lock).
 */
export class PostgresProcessStateStore extends ProcessStateStore {
  private readonly pool: Pool;
  private readonly ready: Promise<unknown>;

  constructor(connectionString: string) {
    super();
    this.pool = postgresPool(connectionString, 'process');
    this.ready = ensurePostgresTables(this.pool, 'process-state', SCHEMA);
    this.ready.catch(() => undefined);
  }

  override async checkpoint(): Promise<number> {
    const rows = await this.query<{ position: string }>('SELECT position FROM process_checkpoint WHERE name = $1', [CHECKPOINT]);
    return rows.length ? Number(rows[0].position) : 0;
  }

  override async applyAll(
    events: ReadonlyArray<ProcessEvent & { globalPosition: number }>,
    step: ProcessStep,
    now: string,
  ): Promise<{ applied: number; commands: number }> {
    return this.transaction(async (client) => {
      const { rows } = await client.query<{ position: string }>('SELECT position FROM process_checkpoint WHERE name = $1', [CHECKPOINT]);
      const from = rows.length ? Number(rows[0].position) : 0;
      const todo = events.filter((e) => e.globalPosition > from);
      if (todo.length === 0) return { applied: 0, commands: 0 };
      // Every row the batch may touch, in one query per table; the events fold into this copy.
      const caseIds = new Set<string>();
      const reservationIds = new Set<string>();
      for (const event of todo) {
        const keys = keysOf(event);
        keys.cases.forEach((id) => caseIds.add(id));
        keys.reservations.forEach((id) => reservationIds.add(id));
      }
      const current: ProcessState = { cases: {}, reservations: {} };
      if (caseIds.size) {
        const found = await client.query<{ state: string }>('SELECT state FROM process_cases WHERE application_id = ANY($1::text[])', [[...caseIds]]);
        for (const row of found.rows) {
          const c = JSON.parse(row.state) as CaseProcess;
          current.cases[c.applicationId] = c;
        }
      }
      if (reservationIds.size) {
        const found = await client.query<{ state: string }>('SELECT state FROM process_reservations WHERE reservation_id = ANY($1::text[])', [
          [...reservationIds],
        ]);
        for (const row of found.rows) {
          const r = JSON.parse(row.state) as ReservationWatch;
          current.reservations[r.reservationId] = r;
        }
      }
      const changedCases = new Set<string>();
      const changedReservations = new Set<string>();
      const commands: ProcessCommand[] = [];
      for (const event of todo) {
        const keys = keysOf(event);
        const before: ProcessState = { cases: {}, reservations: {} };
        for (const id of keys.cases) if (current.cases[id]) before.cases[id] = current.cases[id];
        for (const id of keys.reservations) if (current.reservations[id]) before.reservations[id] = current.reservations[id];
        const result = step(before, event);
        for (const [id, c] of Object.entries(result.state.cases)) {
          if (before.cases[id] === c) continue;
          current.cases[id] = c;
          changedCases.add(id);
        }
        for (const [id, r] of Object.entries(result.state.reservations)) {
          if (before.reservations[id] === r) continue;
          current.reservations[id] = r;
          changedReservations.add(id);
        }
        for (const id of Object.keys(before.reservations)) {
          if (id in result.state.reservations) continue;
          delete current.reservations[id];
          changedReservations.add(id);
        }
        commands.push(...result.commands);
      }
      if (changedCases.size) {
        const ids = [...changedCases];
        await client.query('DELETE FROM process_cases WHERE application_id = ANY($1::text[])', [ids]);
        const cases = ids.map((id) => current.cases[id]);
        await client.query('INSERT INTO process_cases (application_id, state, next_due) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [
          ids,
          cases.map((c) => JSON.stringify(c)),
          cases.map((c) => nextDue(c)),
        ]);
      }
      if (changedReservations.size) {
        const ids = [...changedReservations];
        await client.query('DELETE FROM process_reservations WHERE reservation_id = ANY($1::text[])', [ids]);
        const kept = ids.filter((id) => current.reservations[id]).map((id) => current.reservations[id]);
        if (kept.length) {
          await client.query('INSERT INTO process_reservations (reservation_id, state, reserved_at) SELECT * FROM unnest($1::text[], $2::text[], $3::text[])', [
            kept.map((r) => r.reservationId),
            kept.map((r) => JSON.stringify(r)),
            kept.map((r) => new Date(r.reservedAt).toISOString()),
          ]);
        }
      }
      const added = await this.insertRows(client, commands, now);
      const to = todo[todo.length - 1].globalPosition;
      const updated = await client.query('UPDATE process_checkpoint SET position = $2 WHERE name = $1', [CHECKPOINT, to]);
      if (updated.rowCount === 0) await client.query('INSERT INTO process_checkpoint (name, position) VALUES ($1, $2)', [CHECKPOINT, to]);
      return { applied: todo.length, commands: added.length };
    });
  }

  override async dueCandidates(today: string, reservedBefore: string): Promise<ProcessState> {
    const cases: Record<string, CaseProcess> = {};
    for (const row of await this.query<{ state: string }>('SELECT state FROM process_cases WHERE next_due IS NOT NULL AND next_due < $1', [today])) {
      const c = JSON.parse(row.state) as CaseProcess;
      cases[c.applicationId] = c;
    }
    const reservations: Record<string, ReservationWatch> = {};
    for (const row of await this.query<{ state: string }>('SELECT state FROM process_reservations WHERE reserved_at <= $1', [reservedBefore])) {
      const r = JSON.parse(row.state) as ReservationWatch;
      reservations[r.reservationId] = r;
    }
    return { cases, reservations };
  }

  override async getCase(applicationId: string): Promise<CaseProcess | null> {
    const rows = await this.query<{ state: string }>('SELECT state FROM process_cases WHERE application_id = $1', [applicationId]);
    return rows.length ? (JSON.parse(rows[0].state) as CaseProcess) : null;
  }

  override async enqueue(commands: ProcessCommand[], now: string): Promise<string[]> {
    if (commands.length === 0) return [];
    return this.transaction((client) => this.insertRows(client, commands, now));
  }

  override async pending(limit = 100): Promise<OutboxEntry[]> {
    return (await this.query("SELECT * FROM process_outbox WHERE status = 'pending' ORDER BY seq LIMIT $1", [limit])).map(toOutboxEntry);
  }

  override async outbox(): Promise<OutboxEntry[]> {
    return (await this.query('SELECT * FROM process_outbox ORDER BY seq')).map(toOutboxEntry);
  }

  override async claim(commandId: string, leaseMs: number): Promise<boolean> {
    await this.ready;
    const now = Date.now();
    const { rowCount } = await this.pool.query(
      "UPDATE process_outbox SET claimed_by = $1, claimed_until = $2 WHERE command_id = $3 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < $4 OR claimed_by = $1)",
      [this.instanceId, now + leaseMs, commandId, now],
    );
    return rowCount === 1;
  }

  override async settle(commandId: string, status: Exclude<OutboxStatus, 'pending'>, detail: string | null, now: string): Promise<void> {
    await this.query(
      'UPDATE process_outbox SET status = $1, last_error = $2, attempts = attempts + 1, updated_at = $3, claimed_by = NULL, claimed_until = NULL WHERE command_id = $4',
      [status, detail, now, commandId],
    );
  }

  override async retryLater(commandId: string, error: string, now: string, maxAttempts: number): Promise<OutboxStatus> {
    // One statement: the row's own attempts decide, whatever another instance did meanwhile.
    const rows = await this.query<{ status: OutboxStatus }>(
      `UPDATE process_outbox SET status = CASE WHEN attempts + 1 >= $1 THEN 'failed' ELSE 'pending' END, attempts = attempts + 1,
       last_error = $2, updated_at = $3, claimed_by = NULL, claimed_until = NULL WHERE command_id = $4 RETURNING status`,
      [maxAttempts, error, now, commandId],
    );
    return rows[0]?.status ?? 'failed';
  }

  override async pruneSettled(before: string): Promise<number> {
    await this.ready;
    const { rowCount } = await this.pool.query("DELETE FROM process_outbox WHERE status IN ('done', 'moot') AND updated_at < $1", [before]);
    return rowCount ?? 0;
  }

  override async forget(commandId: string): Promise<void> {
    await this.query('DELETE FROM process_outbox WHERE command_id = $1', [commandId]);
  }

  override async close(): Promise<void> {
    await this.ready.catch(() => undefined);
    await this.pool.end();
  }

  private async query<R extends Record<string, unknown> = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return (await this.pool.query<R>(sql, values)).rows;
  }

  /** BEGIN, the store's lock, `body`, COMMIT; ROLLBACK on any error, so nothing is half-written. */
  private async transaction<T>(body: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.ready;
    return inPostgresTransaction(this.pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      return body(client);
    });
  }

  /** Under the lock: the commands whose ids the outbox does not hold yet, numbered after the last one. */
  private async insertRows(client: PoolClient, commands: ProcessCommand[], now: string): Promise<string[]> {
    if (commands.length === 0) return [];
    const ids = [...new Set(commands.map((c) => c.commandId))];
    const { rows } = await client.query<{ command_id: string }>('SELECT command_id FROM process_outbox WHERE command_id = ANY($1::text[])', [ids]);
    const seen = new Set(rows.map((r) => r.command_id));
    const fresh: ProcessCommand[] = [];
    for (const c of commands) {
      if (seen.has(c.commandId)) continue;
      seen.add(c.commandId);
      fresh.push(c);
    }
    if (fresh.length === 0) return [];
    const last = await client.query<{ seq: string | null }>('SELECT MAX(seq) AS seq FROM process_outbox');
    const base = Number(last.rows[0]?.seq ?? 0);
    await client.query(
      `INSERT INTO process_outbox (command_id, seq, command, status, created_at, updated_at)
       SELECT id, $2::bigint + n, command, 'pending', $4, $4 FROM unnest($1::text[], $3::text[]) WITH ORDINALITY AS t(id, command, n)`,
      [fresh.map((c) => c.commandId), base, fresh.map((c) => JSON.stringify(c)), now],
    );
    return fresh.map((c) => c.commandId);
  }
}
