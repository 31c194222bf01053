import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AnyIntegrationEvent } from '@cbec/messaging';
import { fenToDecimal, ReportChange, reportChanges } from './report-changes';

/** Where the batch came from: the source position is stored in the same transaction as the rows. */
export type SourcePosition = { kind: 'kafka'; topic: string; partition: number; nextOffset: number } | { kind: 'sse'; feed: string; globalPosition: number };

export interface BatchResult {
  applied: number;
  duplicates: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS processed_events (event_id TEXT PRIMARY KEY, type TEXT NOT NULL, global_position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS kafka_offsets (topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL, PRIMARY KEY (topic, partition));
CREATE TABLE IF NOT EXISTS sse_positions (feed TEXT PRIMARY KEY, global_position INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS awards (
  program TEXT NOT NULL, county TEXT NOT NULL, year INTEGER NOT NULL,
  approved_count INTEGER NOT NULL DEFAULT 0, approved_fen INTEGER NOT NULL DEFAULT 0,
  disbursed_count INTEGER NOT NULL DEFAULT 0, disbursed_fen INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (program, county, year));
CREATE TABLE IF NOT EXISTS funds (
  year INTEGER PRIMARY KEY,
  appropriated_fen INTEGER NOT NULL DEFAULT 0, committed_fen INTEGER NOT NULL DEFAULT 0,
  released_fen INTEGER NOT NULL DEFAULT 0, paid_fen INTEGER NOT NULL DEFAULT 0,
  commitments INTEGER NOT NULL DEFAULT 0, payments INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS sequels (
  program TEXT NOT NULL, county TEXT NOT NULL, year INTEGER NOT NULL,
  objections INTEGER NOT NULL DEFAULT 0, upheld INTEGER NOT NULL DEFAULT 0,
  withdrawn_count INTEGER NOT NULL DEFAULT 0, withdrawn_fen INTEGER NOT NULL DEFAULT 0,
  revoked_count INTEGER NOT NULL DEFAULT 0, revoked_fen INTEGER NOT NULL DEFAULT 0,
  recovery_ordered_fen INTEGER NOT NULL DEFAULT 0, recovered_fen INTEGER NOT NULL DEFAULT 0, recoveries_settled INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (program, county, year));
CREATE TABLE IF NOT EXISTS recheck_sequels (
  program TEXT NOT NULL, county TEXT NOT NULL, year INTEGER NOT NULL,
  rechecks_flagged INTEGER NOT NULL DEFAULT 0, rechecks_unchanged INTEGER NOT NULL DEFAULT 0,
  rechecks_lower INTEGER NOT NULL DEFAULT 0, rechecks_higher INTEGER NOT NULL DEFAULT 0,
  lowered_fen INTEGER NOT NULL DEFAULT 0, supplements_approved INTEGER NOT NULL DEFAULT 0, supplement_approved_fen INTEGER NOT NULL DEFAULT 0,
  proactive_opened INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (program, county, year));
CREATE TABLE IF NOT EXISTS supplement_decisions (
  program TEXT NOT NULL, county TEXT NOT NULL, year INTEGER NOT NULL,
  objections_overruled INTEGER NOT NULL DEFAULT 0, refused INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (program, county, year));
CREATE TABLE IF NOT EXISTS throughput (
  program TEXT NOT NULL, year INTEGER NOT NULL,
  submitted INTEGER NOT NULL DEFAULT 0, resubmitted INTEGER NOT NULL DEFAULT 0, accepted INTEGER NOT NULL DEFAULT 0,
  returned INTEGER NOT NULL DEFAULT 0, approved INTEGER NOT NULL DEFAULT 0, rejected INTEGER NOT NULL DEFAULT 0,
  disbursed INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (program, year));
CREATE TABLE IF NOT EXISTS overdue (
  application_id TEXT NOT NULL, round INTEGER NOT NULL, unit TEXT NOT NULL, program TEXT NOT NULL, year INTEGER NOT NULL,
  due_date TEXT NOT NULL, as_of_date TEXT NOT NULL, answered_at TEXT,
  PRIMARY KEY (application_id, round, unit));
`;

const THROUGHPUT_COLUMNS = new Set(['submitted', 'resubmitted', 'accepted', 'returned', 'approved', 'rejected', 'disbursed']);

/**
 * The reporting consumer's own SQLite file. Exactly-once by construction: each batch is one
 * transaction that skips event ids already seen, applies the report changes of the others, and moves
 * the source position; a crash anywhere leaves either all of it or none.
 */
export class ReportingDb {
  private readonly db: Database.Database;
  private readonly stmts: Record<string, Database.Statement>;
  private readonly batch: (events: AnyIntegrationEvent[], position: SourcePosition) => BatchResult;

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    const p = (sql: string) => this.db.prepare(sql);
    this.stmts = {
      seen: p('INSERT OR IGNORE INTO processed_events (event_id, type, global_position) VALUES (?, ?, ?)'),
      awards: p(
        `INSERT INTO awards (program, county, year, approved_count, approved_fen, disbursed_count, disbursed_fen) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (program, county, year) DO UPDATE SET approved_count = approved_count + excluded.approved_count,
         approved_fen = approved_fen + excluded.approved_fen, disbursed_count = disbursed_count + excluded.disbursed_count,
         disbursed_fen = disbursed_fen + excluded.disbursed_fen`,
      ),
      funds: p(
        `INSERT INTO funds (year, appropriated_fen, committed_fen, released_fen, paid_fen, commitments, payments) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (year) DO UPDATE SET appropriated_fen = appropriated_fen + excluded.appropriated_fen,
         committed_fen = committed_fen + excluded.committed_fen, released_fen = released_fen + excluded.released_fen,
         paid_fen = paid_fen + excluded.paid_fen, commitments = commitments + excluded.commitments, payments = payments + excluded.payments`,
      ),
      sequels: p(
        `INSERT INTO sequels (program, county, year, objections, upheld, withdrawn_count, withdrawn_fen, revoked_count, revoked_fen,
           recovery_ordered_fen, recovered_fen, recoveries_settled) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (program, county, year) DO UPDATE SET objections = objections + excluded.objections, upheld = upheld + excluded.upheld,
           withdrawn_count = withdrawn_count + excluded.withdrawn_count, withdrawn_fen = withdrawn_fen + excluded.withdrawn_fen,
           revoked_count = revoked_count + excluded.revoked_count, revoked_fen = revoked_fen + excluded.revoked_fen,
           recovery_ordered_fen = recovery_ordered_fen + excluded.recovery_ordered_fen, recovered_fen = recovered_fen + excluded.recovered_fen,
           recoveries_settled = recoveries_settled + excluded.recoveries_settled`,
      ),
      rechecks: p(
        `INSERT INTO recheck_sequels (program, county, year, rechecks_flagged, rechecks_unchanged, rechecks_lower, rechecks_higher, lowered_fen,
           supplements_approved, supplement_approved_fen, proactive_opened) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (program, county, year) DO UPDATE SET rechecks_flagged = rechecks_flagged + excluded.rechecks_flagged,
           rechecks_unchanged = rechecks_unchanged + excluded.rechecks_unchanged, rechecks_lower = rechecks_lower + excluded.rechecks_lower,
           rechecks_higher = rechecks_higher + excluded.rechecks_higher, lowered_fen = lowered_fen + excluded.lowered_fen,
           supplements_approved = supplements_approved + excluded.supplements_approved,
           supplement_approved_fen = supplement_approved_fen + excluded.supplement_approved_fen,
           proactive_opened = proactive_opened + excluded.proactive_opened`,
      ),
      supplementDecisions: p(
        `INSERT INTO supplement_decisions (program, county, year, objections_overruled, refused) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (program, county, year) DO UPDATE SET objections_overruled = objections_overruled + excluded.objections_overruled,
           refused = refused + excluded.refused`,
      ),
      overdueOpen: p(`INSERT OR IGNORE INTO overdue (application_id, round, unit, program, year, due_date, as_of_date) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      overdueAnswered: p('UPDATE overdue SET answered_at = ? WHERE application_id = ? AND round = ? AND unit = ? AND answered_at IS NULL'),
      kafka: p(
        `INSERT INTO kafka_offsets (topic, partition, next_offset) VALUES (?, ?, ?)
         ON CONFLICT (topic, partition) DO UPDATE SET next_offset = MAX(next_offset, excluded.next_offset)`,
      ),
      sse: p(
        `INSERT INTO sse_positions (feed, global_position) VALUES (?, ?)
         ON CONFLICT (feed) DO UPDATE SET global_position = MAX(global_position, excluded.global_position)`,
      ),
    };
    for (const column of THROUGHPUT_COLUMNS) {
      this.stmts[`throughput:${column}`] = p(
        `INSERT INTO throughput (program, year, ${column}) VALUES (?, ?, 1) ON CONFLICT (program, year) DO UPDATE SET ${column} = ${column} + 1`,
      );
    }
    this.batch = this.db.transaction((events: AnyIntegrationEvent[], position: SourcePosition) => {
      let applied = 0;
      for (const event of events) {
        if (this.stmts.seen.run(event.eventId, event.type, event.globalPosition).changes === 0) continue;
        for (const change of reportChanges(event)) this.apply(change);
        applied++;
      }
      if (position.kind === 'kafka') this.stmts.kafka.run(position.topic, position.partition, position.nextOffset);
      else this.stmts.sse.run(position.feed, position.globalPosition);
      return { applied, duplicates: events.length - applied };
    });
  }

  applyBatch(events: AnyIntegrationEvent[], position: SourcePosition): BatchResult {
    return this.batch(events, position);
  }

  private apply(change: ReportChange): void {
    switch (change.table) {
      case 'awards': {
        const { key, add } = change;
        // Fen bound as bigints: a JS number is bound as a REAL, and INTEGER + REAL sums in floating point.
        this.stmts.awards.run(
          key.program,
          key.county,
          key.year,
          add.approvedCount ?? 0,
          BigInt(add.approvedFen ?? 0),
          add.disbursedCount ?? 0,
          BigInt(add.disbursedFen ?? 0),
        );
        return;
      }
      case 'funds': {
        const a = change.add;
        const fen = (value: number | undefined): bigint => BigInt(value ?? 0);
        this.stmts.funds.run(change.year, fen(a.appropriatedFen), fen(a.committedFen), fen(a.releasedFen), fen(a.paidFen), a.commitments ?? 0, a.payments ?? 0);
        return;
      }
      case 'sequels': {
        const { key, add: a } = change;
        const fen = (value: number | undefined): bigint => BigInt(value ?? 0);
        this.stmts.sequels.run(
          key.program,
          key.county,
          key.year,
          a.objections ?? 0,
          a.upheld ?? 0,
          a.withdrawnCount ?? 0,
          fen(a.withdrawnFen),
          a.revokedCount ?? 0,
          fen(a.revokedFen),
          fen(a.recoveryOrderedFen),
          fen(a.recoveredFen),
          a.recoveriesSettled ?? 0,
        );
        if (a.rechecksFlagged || a.rechecksUnchanged || a.rechecksLower || a.rechecksHigher || a.loweredFen || a.supplementsApproved || a.proactiveOpened) {
          this.stmts.rechecks.run(
            key.program,
            key.county,
            key.year,
            a.rechecksFlagged ?? 0,
            a.rechecksUnchanged ?? 0,
            a.rechecksLower ?? 0,
            a.rechecksHigher ?? 0,
            fen(a.loweredFen),
            a.supplementsApproved ?? 0,
            fen(a.supplementApprovedFen),
            a.proactiveOpened ?? 0,
          );
        }
        if (a.supplementObjectionsOverruled || a.supplementsRefused) {
          this.stmts.supplementDecisions.run(key.program, key.county, key.year, a.supplementObjectionsOverruled ?? 0, a.supplementsRefused ?? 0);
        }
        return;
      }
      case 'throughput':
        this.stmts[`throughput:${change.column}`].run(change.program, change.year);
        return;
      case 'overdue':
        if (change.op === 'open') {
          const r = change.row;
          this.stmts.overdueOpen.run(r.applicationId, r.round, r.unit, r.program, r.year, r.dueDate, r.asOfDate);
        } else {
          this.stmts.overdueAnswered.run(change.answeredAt, change.applicationId, change.round, change.unit);
        }
        return;
    }
  }

  kafkaOffsets(topic: string): Map<number, number> {
    const rows = this.db.prepare('SELECT partition, next_offset FROM kafka_offsets WHERE topic = ?').all(topic) as Array<{
      partition: number;
      next_offset: number;
    }>;
    return new Map(rows.map((r) => [r.partition, r.next_offset]));
  }

  ssePosition(feed: string): number {
    const row = this.db.prepare('SELECT global_position FROM sse_positions WHERE feed = ?').get(feed) as { global_position: number } | undefined;
    return row?.global_position ?? 0;
  }

  processedCount(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM processed_events').get() as { n: number }).n;
  }

  // The sums of fen are read as bigints (safeIntegers) and formatted exactly: a column sums many amounts,
  // and a JS number is exact only below 2^53 fen. Counts and years are small: numbers.
  awards(): Array<Record<string, string | number>> {
    const rows = this.db.prepare('SELECT * FROM awards ORDER BY year, program, county').safeIntegers(true).all() as Array<Record<string, bigint | string>>;
    return rows.map((r) => ({
      program: r.program as string,
      county: r.county as string,
      year: Number(r.year),
      approvedCount: Number(r.approved_count),
      approvedCny: fenToDecimal(r.approved_fen as bigint),
      disbursedCount: Number(r.disbursed_count),
      disbursedCny: fenToDecimal(r.disbursed_fen as bigint),
    }));
  }

  funds(): Array<Record<string, string | number>> {
    return (this.db.prepare('SELECT * FROM funds ORDER BY year').safeIntegers(true).all() as Array<Record<string, bigint>>).map((r) => {
      const committed = r.committed_fen - r.released_fen;
      return {
        year: Number(r.year),
        appropriatedCny: fenToDecimal(r.appropriated_fen),
        committedCny: fenToDecimal(committed),
        paidCny: fenToDecimal(r.paid_fen),
        committedUnpaidCny: fenToDecimal(committed - r.paid_fen),
        availableCny: fenToDecimal(r.appropriated_fen - committed),
        commitments: Number(r.commitments),
        payments: Number(r.payments),
      };
    });
  }

  /** What followed the decisions: objections during the publicity, withdrawals, revocations, recovery (追回). */
  sequels(): Array<Record<string, string | number>> {
    // The recheck columns (复核, lowering, 补发, 免申即享) and the head's decisions on objected 补发 are kept in tables of
    // their own, added beside the first ones (CREATE TABLE IF NOT EXISTS gives a database of an older consumer them too).
    const rows = this.db
      .prepare(
        `SELECT s.*, r.rechecks_flagged, r.rechecks_unchanged, r.rechecks_lower, r.rechecks_higher, r.lowered_fen, r.supplements_approved,
           r.supplement_approved_fen, r.proactive_opened, d.objections_overruled, d.refused
         FROM sequels s LEFT JOIN recheck_sequels r USING (program, county, year) LEFT JOIN supplement_decisions d USING (program, county, year)
         ORDER BY year, program, county`,
      )
      .safeIntegers(true)
      .all() as Array<Record<string, bigint | string | null>>;
    return rows.map((r) => ({
      program: r.program as string,
      county: r.county as string,
      year: Number(r.year),
      objections: Number(r.objections),
      upheld: Number(r.upheld),
      withdrawnCount: Number(r.withdrawn_count),
      withdrawnCny: fenToDecimal(r.withdrawn_fen as bigint),
      revokedCount: Number(r.revoked_count),
      revokedCny: fenToDecimal(r.revoked_fen as bigint),
      recoveryOrderedCny: fenToDecimal(r.recovery_ordered_fen as bigint),
      recoveredCny: fenToDecimal(r.recovered_fen as bigint),
      outstandingCny: fenToDecimal((r.recovery_ordered_fen as bigint) - (r.recovered_fen as bigint)),
      recoveriesSettled: Number(r.recoveries_settled),
      rechecksFlagged: Number(r.rechecks_flagged ?? 0),
      rechecksUnchanged: Number(r.rechecks_unchanged ?? 0),
      rechecksLower: Number(r.rechecks_lower ?? 0),
      rechecksHigher: Number(r.rechecks_higher ?? 0),
      loweredCny: fenToDecimal(BigInt(r.lowered_fen ?? 0)),
      supplementsApproved: Number(r.supplements_approved ?? 0),
      supplementApprovedCny: fenToDecimal(BigInt(r.supplement_approved_fen ?? 0)),
      proactiveOpened: Number(r.proactive_opened ?? 0),
      supplementObjectionsOverruled: Number(r.objections_overruled ?? 0),
      supplementsRefused: Number(r.refused ?? 0),
    }));
  }

  throughput(): Array<Record<string, string | number>> {
    return this.db
      .prepare('SELECT program, year, submitted, resubmitted, accepted, returned, approved, rejected, disbursed FROM throughput ORDER BY year, program')
      .all() as Array<Record<string, string | number>>;
  }

  overdue(): Array<Record<string, string | number | null>> {
    return (this.db.prepare('SELECT * FROM overdue ORDER BY due_date, application_id, unit').all() as Array<Record<string, string | number | null>>).map(
      (r) => ({
        applicationId: r.application_id,
        round: r.round,
        unit: r.unit,
        program: r.program,
        year: r.year,
        dueDate: r.due_date,
        overdueSince: r.as_of_date,
        answeredAt: r.answered_at,
        open: r.answered_at === null ? 1 : 0,
      }),
    );
  }

  /** All four reports: what the restart tests compare. */
  snapshot() {
    return { awards: this.awards(), funds: this.funds(), throughput: this.throughput(), overdue: this.overdue() };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
