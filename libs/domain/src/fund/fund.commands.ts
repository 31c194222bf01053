import type { DomainCommand } from '../decider';

/** Commands on the special fund of `year` (stream `fund-<year>`). Money as decimal strings. */

export type AllocateFundBudget = DomainCommand<'AllocateFundBudget', { year: number; amountCny: string }>;

/**
 * Commits an approved award's amount against the year's appropriation. An identical repeat of a
 * `commitmentId` still open decides `[]` (the approval process retries with deterministic ids).
 */
export type CommitFunds = DomainCommand<'CommitFunds', { year: number; commitmentId: string; applicationId: string; amountCny: string }>;

/** Gives an unpaid commitment back (compensation). Releasing an already released one decides `[]`. */
export type ReleaseCommitment = DomainCommand<'ReleaseCommitment', { year: number; commitmentId: string; reason: string }>;

/** A payment against a commitment; `paymentRef` identifies it (an identical repeat decides `[]`). */
export type RecordPayment = DomainCommand<'RecordPayment', { year: number; commitmentId: string; amountCny: string; paymentRef: string }>;

/** Money of a paid commitment returned (追回): committed and disbursed fall by it, so it is available again. */
/** An unpaid commitment lowered by `amountCny` (an award lowered in place after a customs revision); `reductionId` names it. */
export type ReduceCommitment = DomainCommand<
  'ReduceCommitment',
  { year: number; commitmentId: string; reductionId: string; amountCny: string; reason: string }
>;

export type RecordFundRepayment = DomainCommand<'RecordFundRepayment', { year: number; commitmentId: string; amountCny: string; repaymentRef: string }>;

export type FundCommand = AllocateFundBudget | CommitFunds | ReleaseCommitment | RecordPayment | RecordFundRepayment | ReduceCommitment;
