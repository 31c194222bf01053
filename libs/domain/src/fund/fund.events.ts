import type { DomainEvent } from '../decider';

/**
 * Events of the special fund of one year, stream `fund-<year>` (五（二）). Invariants, for every prefix of
 * the stream: committed <= appropriation, disbursed <= committed. Money is a decimal string.
 */

/** Adds to the year's appropriation. */
export type FundBudgetAllocated = DomainEvent<'FundBudgetAllocated', { year: number; amountCny: string }>;

export type FundsCommitted = DomainEvent<'FundsCommitted', { year: number; commitmentId: string; applicationId: string; amountCny: string }>;

/** An unpaid commitment given back to the fund (e.g. the approval process compensating a failed step). */
export type FundCommitmentReleased = DomainEvent<
  'FundCommitmentReleased',
  { year: number; commitmentId: string; applicationId: string; amountCny: string; reason: string }
>;

export type FundPaymentRecorded = DomainEvent<
  'FundPaymentRecorded',
  { year: number; commitmentId: string; applicationId: string; amountCny: string; paymentRef: string }
>;

/** Money returned on a paid commitment (追回): committed and disbursed both fall by `amountCny`. */
export type FundRepaymentRecorded = DomainEvent<
  'FundRepaymentRecorded',
  { year: number; commitmentId: string; applicationId: string; amountCny: string; repaymentRef: string }
>;

/** An unpaid commitment lowered in place (the award it holds was lowered): available again by `amountCny`. */
export type FundCommitmentReduced = DomainEvent<
  'FundCommitmentReduced',
  { year: number; commitmentId: string; applicationId: string; reductionId: string; amountCny: string; remainingCny: string; reason: string }
>;

export type FundEvent = FundBudgetAllocated | FundsCommitted | FundCommitmentReleased | FundPaymentRecorded | FundRepaymentRecorded | FundCommitmentReduced;

export const FUND_EVENT_TYPES: readonly FundEvent['type'][] = [
  'FundBudgetAllocated',
  'FundsCommitted',
  'FundCommitmentReleased',
  'FundPaymentRecorded',
  'FundRepaymentRecorded',
  'FundCommitmentReduced',
];

export const fundStreamId = (year: number): string => `fund-${year}`;
