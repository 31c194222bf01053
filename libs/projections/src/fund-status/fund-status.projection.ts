import { FUND_EVENT_TYPES, type FundEvent } from '@cbec/domain';
import type { RecordedEvent } from '@cbec/event-store';
import { cny, fen, MAX_STORED_FEN } from '../runner/money-columns';
import type { Projection } from '../runner/projection';

/**
 * The special fund per year (五（二）): appropriations, and one row per commitment (committed -> paid |
 * released). Committed counts paid commitments too (a payment settles a commitment, it does not free it).
 */
export type CommitmentStatus = 'committed' | 'paid' | 'released';

export interface FundYearRow {
  year: number;
  appropriation_fen: bigint;
  allocations: number;
}

export interface FundCommitmentRow {
  commitment_id: string;
  year: number;
  application_id: string;
  amount_fen: bigint;
  status: CommitmentStatus;
  committed_at: string;
  settled_at: string | null;
  payment_ref: string | null;
}

const TYPES = new Set<string>(FUND_EVENT_TYPES);

function isFundEvent(event: RecordedEvent): event is RecordedEvent & FundEvent {
  return event.streamId.startsWith('fund-') && TYPES.has(event.type);
}

export const fundStatusProjection: Projection = {
  name: 'fund-status',
  // 2: recovered_fen (money returned on paid commitments, 追回).
  // 3: FundCommitmentReduced (an award lowered in place).
  version: 3,
  tables: [
    {
      name: 'fund_years',
      ddl: `CREATE TABLE fund_years (
        year INTEGER PRIMARY KEY,
        appropriation_fen INTEGER NOT NULL,
        allocations INTEGER NOT NULL
      )`,
      key: ['year'],
    },
    {
      name: 'fund_commitments',
      ddl: `CREATE TABLE fund_commitments (
        commitment_id TEXT PRIMARY KEY,
        year INTEGER NOT NULL,
        application_id TEXT NOT NULL,
        amount_fen INTEGER NOT NULL,
        status TEXT NOT NULL,
        committed_at TEXT NOT NULL,
        settled_at TEXT,
        payment_ref TEXT,
        recovered_fen INTEGER NOT NULL DEFAULT 0
      )`,
      indexes: ['CREATE INDEX fund_commitments_by_year ON fund_commitments (year, status)'],
      key: ['commitment_id'],
    },
  ],
  async apply(event, tx) {
    if (!isFundEvent(event)) return;
    const at = event.metadata.occurredAt;
    switch (event.type) {
      case 'FundBudgetAllocated':
        await tx.run(
          `INSERT INTO fund_years (year, appropriation_fen, allocations) VALUES (?, ?, 1)
           ON CONFLICT (year) DO UPDATE SET appropriation_fen = fund_years.appropriation_fen + excluded.appropriation_fen,
             allocations = fund_years.allocations + 1`,
          event.data.year,
          fen(event.data.amountCny),
        );
        // SQLite turns an INTEGER sum past 64 bits into a REAL without a word: refuse the event here
        // (the projection stops at it, loudly) rather than store a rounded appropriation. PostgreSQL's
        // BIGINT refuses the overflow itself ("bigint out of range"), which stops the projection alike.
        if (
          tx.dialect === 'sqlite' &&
          (await tx.get<{ t: string }>(`SELECT typeof(appropriation_fen) AS t FROM fund_years WHERE year = ?`, event.data.year))?.t !== 'integer'
        ) {
          throw new RangeError(`the appropriations of ${event.data.year} add up to more than a read model stores exactly (${cny(MAX_STORED_FEN)})`);
        }
        return;
      case 'FundsCommitted':
        await tx.run(
          `INSERT INTO fund_commitments (commitment_id, year, application_id, amount_fen, status, committed_at)
           VALUES (?, ?, ?, ?, 'committed', ?)`,
          event.data.commitmentId,
          event.data.year,
          event.data.applicationId,
          fen(event.data.amountCny),
          at,
        );
        return;
      case 'FundCommitmentReleased':
        await tx.run(`UPDATE fund_commitments SET status = 'released', settled_at = ? WHERE commitment_id = ?`, at, event.data.commitmentId);
        return;
      case 'FundPaymentRecorded':
        await tx.run(
          `UPDATE fund_commitments SET status = 'paid', settled_at = ?, payment_ref = ? WHERE commitment_id = ?`,
          at,
          event.data.paymentRef,
          event.data.commitmentId,
        );
        return;
      case 'FundCommitmentReduced':
        // An unpaid award lowered in place: committed falls by it, available rises (as the fund stream).
        await tx.run(`UPDATE fund_commitments SET amount_fen = amount_fen - ? WHERE commitment_id = ?`, fen(event.data.amountCny), event.data.commitmentId);
        return;
      case 'FundRepaymentRecorded':
        // Money returned: committed and disbursed both fall by it, so it is available again (as the fund stream).
        await tx.run(
          `UPDATE fund_commitments SET amount_fen = amount_fen - ?, recovered_fen = recovered_fen + ? WHERE commitment_id = ?`,
          fen(event.data.amountCny),
          fen(event.data.amountCny),
          event.data.commitmentId,
        );
        return;
    }
  },
};
