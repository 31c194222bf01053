import type { DomainEvent, Json } from '../decider';
import type { BeneficiaryKind, UnitCode } from '../policy/policy';
import type { ProgramId } from '../policy/programs';
import type { StoredTraceStep } from '../shared/trace';

/**
 * Events of one case, stream `application-<applicationId>`. Money is a decimal string ("50000.00"),
 * dates are ISO `YYYY-MM-DD`. Who acted and when is in the store's metadata (actor, occurredAt); the
 * data repeats the person only where the record itself is about them (the author of an opinion, the
 * head who approved).
 */

/** Case statuses of docs/api.md. */
export type CaseStatus = 'submitted' | 'returned' | 'under-review' | 'objected' | 'ready-for-decision' | 'approved' | 'rejected' | 'disbursed';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'submitted',
  'returned',
  'under-review',
  'objected',
  'ready-for-decision',
  'approved',
  'rejected',
  'disbursed',
];

export interface CaseBeneficiary {
  uscc: string;
  kind: BeneficiaryKind;
  manufacturing?: boolean;
  name?: string;
}

/** The applicant's claims, as submitted (shape of docs/api.md's `claims`); kept verbatim, JSON-safe. */
export type CaseClaims = { [key: string]: Json };

export type ReviewVerdict = 'approve' | 'reject';

export interface ReviewAssignment {
  unit: UnitCode;
  dueDate: string;
}

export type ApplicationSubmitted = DomainEvent<
  'ApplicationSubmitted',
  {
    applicationId: string;
    program: ProgramId;
    year: number;
    beneficiary: CaseBeneficiary;
    claims: CaseClaims;
    /** Routing read from the policy parameters at submission (the case keeps them: a later policy does not re-route it). */
    leadUnit: UnitCode;
    cooperatingUnits: UnitCode[];
    policyVersion: string;
    submittedBy: string;
  }
>;

/** Acceptance by the lead unit opens countersign round `round` (会签): one review per cooperating unit. */
export type CaseAccepted = DomainEvent<
  'CaseAccepted',
  {
    applicationId: string;
    round: number;
    reviews: ReviewAssignment[];
    acceptedBy: string;
    /** Absent when the calendar covered the period (and on events written before the field existed). */
    calendarNotes?: string[];
  }
>;

export type ApplicationReturned = DomainEvent<'ApplicationReturned', { applicationId: string; reason: string; fromStatus: CaseStatus; returnedBy: string }>;

export type ApplicationResubmitted = DomainEvent<'ApplicationResubmitted', { applicationId: string; claims: CaseClaims; resubmittedBy: string }>;

export type ReviewOpinionRecorded = DomainEvent<
  'ReviewOpinionRecorded',
  { applicationId: string; round: number; unit: UnitCode; verdict: ReviewVerdict; comment: string; author: string }
>;

/**
 * A `reject` opinion sends the case back to the lead unit. The round closes: reviews still pending are
 * withdrawn (listed here), since the decision is now the lead unit's (reject, or return for correction).
 */
export type ApplicationObjected = DomainEvent<
  'ApplicationObjected',
  { applicationId: string; round: number; objectingUnit: UnitCode; withdrawnReviews: UnitCode[] }
>;

/** Every opinion of the round is `approve`. */
export type ApplicationReadyForDecision = DomainEvent<'ApplicationReadyForDecision', { applicationId: string; round: number }>;

/** Emitted at most once per (unit, round). The review stays pending: a late opinion is still accepted. */
export type ReviewOverdue = DomainEvent<'ReviewOverdue', { applicationId: string; round: number; unit: UnitCode; dueDate: string; asOfDate: string }>;

export type AwardApproved = DomainEvent<
  'AwardApproved',
  {
    applicationId: string;
    program: ProgramId;
    year: number;
    uscc: string;
    amountCny: string;
    /** What the rule computes before caps, as `evaluate` reports it. */
    computedCny: string;
    /** The most the head may approve, after caps (see ApproveAward). Events stored before it existed lack it. */
    approvableCny: string;
    /** Required when amountCny < approvableCny, null otherwise. */
    reasonIfLower: string | null;
    capApplied: string | null;
    trace: StoredTraceStep[];
    policyVersion: string;
    /** The customs events the computation used (they stay findable after a revision). */
    customsEventIds: string[];
    /** On `beneficiary-<uscc>` and `fund-<year>`: what the approval process reserved and committed. */
    reservationId: string;
    commitmentId: string;
    approvedBy: string;
  }
>;

export type ApplicationRejected = DomainEvent<'ApplicationRejected', { applicationId: string; reason: string; fromStatus: CaseStatus; rejectedBy: string }>;

export type AwardDisbursed = DomainEvent<
  'AwardDisbursed',
  { applicationId: string; paymentRef: string; amountCny: string; commitmentId: string; disbursedBy: string }
>;

export type CaseEvent =
  | ApplicationSubmitted
  | CaseAccepted
  | ApplicationReturned
  | ApplicationResubmitted
  | ReviewOpinionRecorded
  | ApplicationObjected
  | ApplicationReadyForDecision
  | ReviewOverdue
  | AwardApproved
  | ApplicationRejected
  | AwardDisbursed;

export const CASE_EVENT_TYPES: readonly CaseEvent['type'][] = [
  'ApplicationSubmitted',
  'CaseAccepted',
  'ApplicationReturned',
  'ApplicationResubmitted',
  'ReviewOpinionRecorded',
  'ApplicationObjected',
  'ApplicationReadyForDecision',
  'ReviewOverdue',
  'AwardApproved',
  'ApplicationRejected',
  'AwardDisbursed',
];

export const caseStreamId = (applicationId: string): string => `application-${applicationId}`;
