import type { AnyIntegrationEvent } from '@cbec/messaging';

/**
 * What one contract event changes in the report tables: a pure function, shared by the Kafka and the
 * SSE sources, applied by ReportingDb inside the transaction that also records the event id (dedup)
 * and the source position. Amounts are integer fen (exact); the tables print them back as "123.45".
 */

export interface AwardsKey {
  program: string;
  county: string;
  year: number;
}
export interface AwardsAdd {
  approvedCount?: number;
  approvedFen?: number;
  disbursedCount?: number;
  disbursedFen?: number;
}
export interface FundsAdd {
  appropriatedFen?: number;
  committedFen?: number;
  releasedFen?: number;
  paidFen?: number;
  commitments?: number;
  payments?: number;
}
/** What followed the decisions (公示 objections, withdrawals, revocations, recovery), per program, county and year. */
export interface SequelsAdd {
  objections?: number;
  upheld?: number;
  withdrawnCount?: number;
  withdrawnFen?: number;
  revokedCount?: number;
  revokedFen?: number;
  recoveryOrderedFen?: number;
  recoveredFen?: number;
  recoveriesSettled?: number;
  rechecksFlagged?: number;
  rechecksUnchanged?: number;
  rechecksLower?: number;
  rechecksHigher?: number;
  loweredFen?: number;
  supplementsApproved?: number;
  supplementApprovedFen?: number;
  supplementObjectionsOverruled?: number;
  supplementsRefused?: number;
  proactiveOpened?: number;
}
export type ThroughputColumn = 'submitted' | 'resubmitted' | 'accepted' | 'returned' | 'approved' | 'rejected' | 'disbursed';
export interface OverdueRow {
  applicationId: string;
  round: number;
  unit: string;
  program: string;
  year: number;
  dueDate: string;
  asOfDate: string;
}

export type ReportChange =
  | { table: 'awards'; key: AwardsKey; add: AwardsAdd }
  | { table: 'funds'; year: number; add: FundsAdd }
  | { table: 'sequels'; key: AwardsKey; add: SequelsAdd }
  | { table: 'throughput'; program: string; year: number; column: ThroughputColumn }
  | { table: 'overdue'; op: 'open'; row: OverdueRow }
  | { table: 'overdue'; op: 'answered'; applicationId: string; round: number; unit: string; answeredAt: string };

/** "12345.67" -> 1234567 fen. The contract guarantees two decimals; anything else is refused loudly. */
export function fen(amount: string): number {
  const m = /^(0|[1-9][0-9]*)\.([0-9]{2})$/.exec(amount);
  if (!m) throw new Error(`amount "${amount}" is not a contract amount (digits, a point, two decimals)`);
  const value = Number(m[1]) * 100 + Number(m[2]);
  if (!Number.isSafeInteger(value)) throw new Error(`amount "${amount}" is too large to add exactly`);
  return value;
}

/** 1234567 fen -> "12345.67"; a bigint (a sum read from SQLite's 64-bit column) exactly, however large. */
export function fenToDecimal(value: number | bigint): string {
  const fen = BigInt(value);
  const s = (fen < 0n ? -fen : fen).toString().padStart(3, '0');
  return `${fen < 0n ? '-' : ''}${s.slice(0, -2)}.${s.slice(-2)}`;
}

const sequel = (d: { program: string; county: string; year: number }, add: SequelsAdd): ReportChange => ({
  table: 'sequels',
  key: { program: d.program, county: d.county, year: d.year },
  add,
});

export function reportChanges(event: AnyIntegrationEvent): ReportChange[] {
  switch (event.type) {
    case 'ApplicationSubmitted.v1':
      return [{ table: 'throughput', program: event.data.program, year: event.data.year, column: 'submitted' }];
    case 'ApplicationResubmitted.v1':
      return [{ table: 'throughput', program: event.data.program, year: event.data.year, column: 'resubmitted' }];
    case 'ApplicationAccepted.v1':
      return [{ table: 'throughput', program: event.data.program, year: event.data.year, column: 'accepted' }];
    case 'ApplicationReturned.v1':
      return [{ table: 'throughput', program: event.data.program, year: event.data.year, column: 'returned' }];
    case 'ApplicationRejected.v1':
      return [{ table: 'throughput', program: event.data.program, year: event.data.year, column: 'rejected' }];
    case 'AwardApproved.v1':
    case 'AwardApproved.v2': {
      const d = event.data;
      return [
        { table: 'throughput', program: d.program, year: d.year, column: 'approved' },
        { table: 'awards', key: { program: d.program, county: d.county, year: d.year }, add: { approvedCount: 1, approvedFen: fen(d.amountCny) } },
      ];
    }
    case 'AwardDisbursed.v1': {
      const d = event.data;
      return [
        { table: 'throughput', program: d.program, year: d.year, column: 'disbursed' },
        { table: 'awards', key: { program: d.program, county: d.county, year: d.year }, add: { disbursedCount: 1, disbursedFen: fen(d.amountCny) } },
      ];
    }
    case 'FundBudgetAllocated.v1':
      return [{ table: 'funds', year: event.data.year, add: { appropriatedFen: fen(event.data.amountCny) } }];
    case 'FundsCommitted.v1':
      return [{ table: 'funds', year: event.data.year, add: { committedFen: fen(event.data.amountCny), commitments: 1 } }];
    case 'FundCommitmentReleased.v1':
      return [{ table: 'funds', year: event.data.year, add: { releasedFen: fen(event.data.amountCny), commitments: -1 } }];
    case 'FundPaymentRecorded.v1':
      return [{ table: 'funds', year: event.data.year, add: { paidFen: fen(event.data.amountCny), payments: 1 } }];
    case 'FundRepaymentRecorded.v1':
      // Money returned: committed and paid both fall by it (released from the commitment, no longer paid out).
      return [{ table: 'funds', year: event.data.year, add: { releasedFen: fen(event.data.amountCny), paidFen: -fen(event.data.amountCny) } }];
    case 'PublicityObjectionRecorded.v1':
      return [sequel(event.data, { objections: 1 })];
    case 'AwardUpheld.v1':
      return [sequel(event.data, { upheld: 1 })];
    case 'AwardWithdrawn.v1':
      return [sequel(event.data, { withdrawnCount: 1, withdrawnFen: fen(event.data.amountCny) })];
    case 'AwardRevoked.v1':
      return [sequel(event.data, { revokedCount: 1, revokedFen: fen(event.data.amountCny) })];
    case 'RecoveryOrdered.v1':
      return [sequel(event.data, { recoveryOrderedFen: fen(event.data.amountCny) })];
    case 'RepaymentRecorded.v1':
      return [sequel(event.data, { recoveredFen: fen(event.data.amountCny) })];
    case 'RecoverySettled.v1':
      return [sequel(event.data, { recoveriesSettled: 1 })];
    case 'RecheckRequired.v1':
      return [sequel(event.data, { rechecksFlagged: 1 })];
    case 'RecheckRecorded.v1': {
      const outcome = event.data.outcome;
      return [sequel(event.data, outcome === 'unchanged' ? { rechecksUnchanged: 1 } : outcome === 'lower' ? { rechecksLower: 1 } : { rechecksHigher: 1 })];
    }
    case 'AwardLowered.v1':
      return [sequel(event.data, { loweredFen: fen(event.data.differenceCny) })];
    case 'SupplementaryAwardApproved.v1':
      // The supplement's money is the fund's (FundsCommitted.v1, FundPaymentRecorded.v1); here, how many and how much.
      return [sequel(event.data, { supplementsApproved: 1, supplementApprovedFen: fen(event.data.amountCny) })];
    case 'SupplementObjectionOverruled.v1':
      // Counted beside the approval that follows it (SupplementaryAwardApproved.v1 carries the amount).
      return [sequel(event.data, { supplementObjectionsOverruled: 1 })];
    case 'SupplementaryAwardRefused.v1':
      return [sequel(event.data, { supplementsRefused: 1 })];
    case 'ProactiveCaseOpened.v1':
      return [sequel(event.data, { proactiveOpened: 1 })];
    case 'FundCommitmentReduced.v1':
      return [{ table: 'funds', year: event.data.year, add: { releasedFen: fen(event.data.amountCny) } }];
    case 'ReviewOverdue.v1': {
      const d = event.data;
      return [
        {
          table: 'overdue',
          op: 'open',
          row: { applicationId: d.applicationId, round: d.round, unit: d.unit, program: d.program, year: d.year, dueDate: d.dueDate, asOfDate: d.asOfDate },
        },
      ];
    }
    case 'ReviewOpinionRecorded.v1':
      return [
        {
          table: 'overdue',
          op: 'answered',
          applicationId: event.data.applicationId,
          round: event.data.round,
          unit: event.data.unit,
          answeredAt: event.occurredAt,
        },
      ];
    default:
      // Customs figures do not enter these reports; a newer contract type is ignored, not a crash.
      return [];
  }
}
