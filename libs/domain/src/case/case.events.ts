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
export type CaseStatus =
  | 'submitted'
  | 'returned'
  | 'under-review'
  | 'objected'
  | 'ready-for-decision'
  | 'approved'
  | 'rejected'
  | 'disbursed'
  | 'publicity-objected'
  | 'withdrawn'
  | 'revoked';

export const CASE_STATUSES: readonly CaseStatus[] = [
  'submitted',
  'returned',
  'under-review',
  'objected',
  'ready-for-decision',
  'approved',
  'rejected',
  'disbursed',
  'publicity-objected',
  'withdrawn',
  'revoked',
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
    /**
     * 公示: published from the day after the approval until `until` (Asia/Shanghai), the policy's
     * `afterDecision.publicityWorkingDays` working days; payment waits for it. Null on awards approved
     * before publicity existed (schema version 1, read through the upcaster): they are not retro-blocked.
     */
    publicity: Publicity | null;
  }
>;

export interface Publicity {
  from: string;
  until: string;
  workingDays: number;
}

/** 异议: COM records an objection raised during the publicity; the case goes back to the lead unit. */
export type PublicityObjectionRecorded = DomainEvent<
  'PublicityObjectionRecorded',
  { applicationId: string; source: string; detail: string; asOfDate: string; recordedBy: string }
>;

/** The lead unit keeps the award after an objection: payment is allowed from then on. */
export type AwardUpheld = DomainEvent<'AwardUpheld', { applicationId: string; reason: string; upheldBy: string }>;

/** The lead unit withdraws the award after an objection: the caps and the fund are released (nothing was paid). */
export type AwardWithdrawn = DomainEvent<
  'AwardWithdrawn',
  { applicationId: string; reason: string; amountCny: string; reservationId: string; commitmentId: string; withdrawnBy: string }
>;

/** 骗取: the FIN head revokes an approved or paid award; what was paid is recovered (RecoveryOrdered). */
export type AwardRevoked = DomainEvent<
  'AwardRevoked',
  {
    applicationId: string;
    reason: string;
    evidenceRef: string;
    fromStatus: CaseStatus;
    amountCny: string;
    reservationId: string;
    commitmentId: string;
    revokedBy: string;
  }
>;

/** 追回: the beneficiary owes `amountCny` back by `dueDate`. */
export type RecoveryOrdered = DomainEvent<
  'RecoveryOrdered',
  { applicationId: string; recoveryId: string; amountCny: string; dueDate: string; cause: 'revocation' | 'revision'; orderedBy: string }
>;

/** Money returned against a recovery order; `outstandingCny` is what is still owed after it. */
export type RepaymentRecorded = DomainEvent<
  'RepaymentRecorded',
  { applicationId: string; recoveryId: string; repaymentRef: string; amountCny: string; outstandingCny: string; recordedBy: string }
>;

/** Every fen of the order is back. */
export type RecoverySettled = DomainEvent<'RecoverySettled', { applicationId: string; recoveryId: string; amountCny: string }>;

/** The figures of a computation as a recheck shows it (before caps, after caps, the trace and the customs events read). */
export interface RecheckComputation {
  computedCny: string;
  approvableCny: string;
  trace: StoredTraceStep[];
  customsEventIds: string[];
}

/**
 * 复核: an import revised customs figures this award used. Both computations side by side: the one the
 * decision took and the one the revised figures give; the lead unit decides (RecheckRecorded).
 */
export type RecheckRequired = DomainEvent<
  'RecheckRequired',
  { applicationId: string; revisionEventIds: string[]; approvedCny: string; decided: RecheckComputation; revised: RecheckComputation; flaggedOn: string }
>;

/**
 * The lead unit's recheck: `unchanged` (the revised figures give the approved amount), `lower` (the
 * difference is recovered when paid: RecoveryOrdered, cause `revision`) or `higher` (a supplementary award
 * 补发 of `differenceCny` is due, through the normal approval).
 */
export type RecheckRecorded = DomainEvent<
  'RecheckRecorded',
  {
    applicationId: string;
    revisionEventIds: string[];
    outcome: 'unchanged' | 'lower' | 'higher';
    approvedCny: string;
    revisedCny: string;
    differenceCny: string;
    checkedBy: string;
  }
>;

/**
 * 免申即享: the case was opened by COM because the customs statistics alone meet the program's conditions
 * (the computation that found it); it awaits the enterprise's declarations (`declarationsPending`) before
 * its lead unit may accept it. Nothing is approved without a person: the case continues as any other.
 */
export type ProactiveCaseOpened = DomainEvent<
  'ProactiveCaseOpened',
  {
    applicationId: string;
    openedBy: string;
    declarationsPending: string[];
    computation: { computedCny: string; amountCny: string | null; trace: StoredTraceStep[]; customsEventIds: string[] };
  }
>;

/** The enterprise confirmed the declarations of its 免申 case: `claims` are the case's claims from here on. */
export type DeclarationsConfirmed = DomainEvent<
  'DeclarationsConfirmed',
  { applicationId: string; declarations: CaseClaims; claims: CaseClaims; confirmedBy: string }
>;

/**
 * 补发: a recheck found the award higher; the supplementary award of `differenceCny` goes through the normal
 * approval: the cooperating units' countersign (`reviews`; none when the policy version skips it) and the lead
 * unit head's decision.
 */
export type SupplementaryAwardOpened = DomainEvent<
  'SupplementaryAwardOpened',
  { applicationId: string; supplementId: string; differenceCny: string; revisedCny: string; countersignSkipped: boolean; reviews: ReviewAssignment[] }
>;

export type SupplementOpinionRecorded = DomainEvent<
  'SupplementOpinionRecorded',
  { applicationId: string; supplementId: string; unit: UnitCode; verdict: ReviewVerdict; comment: string; author: string }
>;

/** 补发 approved: the ledger holds the award's new total, the fund a commitment of its own for the difference. */
export type SupplementaryAwardApproved = DomainEvent<
  'SupplementaryAwardApproved',
  { applicationId: string; supplementId: string; amountCny: string; totalCny: string; commitmentId: string; reservationId: string; approvedBy: string }
>;

export type SupplementDisbursed = DomainEvent<
  'SupplementDisbursed',
  { applicationId: string; supplementId: string; paymentRef: string; amountCny: string; commitmentId: string; disbursedBy: string }
>;

/**
 * 复核, lower and not yet paid: the award is lowered in place to what the revised figures give; the fund's
 * commitment and the ledger's hold follow (FundCommitmentReduced, AwardAdjusted). Payment is of `toCny`.
 */
export type AwardLowered = DomainEvent<
  'AwardLowered',
  {
    applicationId: string;
    loweringId: string;
    fromCny: string;
    toCny: string;
    differenceCny: string;
    reservationId: string;
    commitmentId: string;
    loweredBy: string;
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
  | AwardDisbursed
  | PublicityObjectionRecorded
  | AwardUpheld
  | AwardWithdrawn
  | AwardRevoked
  | RecoveryOrdered
  | RepaymentRecorded
  | RecoverySettled
  | RecheckRequired
  | RecheckRecorded
  | ProactiveCaseOpened
  | DeclarationsConfirmed
  | SupplementaryAwardOpened
  | SupplementOpinionRecorded
  | SupplementaryAwardApproved
  | SupplementDisbursed
  | AwardLowered;

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
  'PublicityObjectionRecorded',
  'AwardUpheld',
  'AwardWithdrawn',
  'AwardRevoked',
  'RecoveryOrdered',
  'RepaymentRecorded',
  'RecoverySettled',
  'RecheckRequired',
  'RecheckRecorded',
  'ProactiveCaseOpened',
  'DeclarationsConfirmed',
  'SupplementaryAwardOpened',
  'SupplementOpinionRecorded',
  'SupplementaryAwardApproved',
  'SupplementDisbursed',
  'AwardLowered',
];

export const caseStreamId = (applicationId: string): string => `application-${applicationId}`;
