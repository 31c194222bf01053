import type { DomainCommand } from '../decider';
import type { UnitCode } from '../policy/policy';
import type { StoredTraceStep } from '../shared/trace';
import type { CaseBeneficiary, CaseClaims, ReviewVerdict } from './case.events';

/**
 * Commands on one case, stream `application-<applicationId>`. Times and ids are inputs: the workflow
 * computes due dates (working days) and passes today's date; the decider reads no clock.
 * `*By` fields are the acting user (the store's metadata carries the full actor).
 */

export type SubmitApplication = DomainCommand<
  'SubmitApplication',
  {
    applicationId: string;
    program: string;
    year: number;
    beneficiary: CaseBeneficiary;
    claims: CaseClaims;
    submittedBy: string;
    /** Defaults to the current policy (getPolicy()). */
    policyVersion?: string;
    /** 免申即享: opened by COM on the customs statistics alone; the enterprise confirms `declarationsPending` before acceptance. */
    proactive?: ProactiveOpening;
  }
>;

/** 免申即享: how a case opened by COM came to be (the computation it was found on) and what the enterprise must declare. */
export interface ProactiveOpening {
  openedBy: string;
  /** The claims the program's rule needs that only the enterprise can declare (P1: otherMunicipalTradeAward). */
  declarationsPending: string[];
  /** The computation on the customs statistics alone that found the enterprise. */
  computation: { computedCny: string; amountCny: string | null; trace: StoredTraceStep[]; customsEventIds: string[] };
}

/** 免申即享: the enterprise confirms the declarations its proactively opened case needs; the claims are complete after it. */
export type ConfirmDeclarations = DomainCommand<'ConfirmDeclarations', { declarations: CaseClaims; confirmedBy: string }>;

/** By the lead unit: opens the next countersign round, every cooperating unit due on `dueDate`. */
export type AcceptCase = DomainCommand<
  'AcceptCase',
  {
    dueDate: string;
    acceptedBy: string;
    /** `calendar-missing:<year>`: the due date was counted Monday–Friday for lack of that year's calendar. */
    calendarNotes?: string[];
  }
>;

export type ReturnForCorrection = DomainCommand<'ReturnForCorrection', { reason: string; returnedBy: string }>;

export type ResubmitApplication = DomainCommand<'ResubmitApplication', { claims: CaseClaims; resubmittedBy: string }>;

export type RecordReviewOpinion = DomainCommand<'RecordReviewOpinion', { unit: UnitCode; verdict: ReviewVerdict; comment: string; author: string }>;

/** `asOfDate`: the workflow's current date (Asia/Shanghai); the review must be past its due date. */
export type MarkReviewOverdue = DomainCommand<'MarkReviewOverdue', { unit: UnitCode; round: number; asOfDate: string }>;

export type ApproveAward = DomainCommand<
  'ApproveAward',
  {
    amountCny: string;
    /** What the rule computes before caps, as `evaluate` reports it. */
    computedCny: string;
    /**
     * The most the head may approve: the award after the ledger's caps (AwardReserved.amountCny).
     * A cap is not a discretionary lowering, so it needs no reason; approving less than this does.
     */
    approvableCny: string;
    /** Required when amountCny is lower than approvableCny. */
    reasonIfLower?: string | null;
    capApplied?: string | null;
    trace: StoredTraceStep[];
    policyVersion: string;
    customsEventIds: string[];
    reservationId: string;
    commitmentId: string;
    approvedBy: string;
    /** 公示 period the workflow computed on the calendar (null: none). */
    publicity?: { from: string; until: string; workingDays: number } | null;
  }
>;

export type RejectApplication = DomainCommand<'RejectApplication', { reason: string; rejectedBy: string }>;

/**
 * The whole approved amount, paid from the fund commitment the approval made. `asOfDate`: today
 * (Asia/Shanghai), checked against the 公示 period.
 */
export type DisburseAward = DomainCommand<'DisburseAward', { paymentRef: string; amountCny: string; disbursedBy: string; asOfDate?: string }>;

/** 异议 during the 公示, recorded by COM with where it came from. */
export type RecordPublicityObjection = DomainCommand<'RecordPublicityObjection', { source: string; detail: string; asOfDate: string; recordedBy: string }>;

export type UpholdAward = DomainCommand<'UpholdAward', { reason: string; upheldBy: string }>;

export type WithdrawAward = DomainCommand<'WithdrawAward', { reason: string; withdrawnBy: string }>;

/** 骗取: revocation by the FIN head; `recovery` names the order for a paid award (id and due date from the workflow). */
export type RevokeAward = DomainCommand<
  'RevokeAward',
  { reason: string; evidenceRef: string; revokedBy: string; recovery?: { recoveryId: string; dueDate: string } }
>;

export type RecordRepayment = DomainCommand<'RecordRepayment', { recoveryId: string; repaymentRef: string; amountCny: string; recordedBy: string }>;

/** 复核 after a customs revision: both computations, from the workflow (the decider computes nothing). */
export type FlagRecheck = DomainCommand<
  'FlagRecheck',
  {
    revisionEventIds: string[];
    decided: { computedCny: string; approvableCny: string; trace: StoredTraceStep[]; customsEventIds: string[] };
    revised: { computedCny: string; approvableCny: string; trace: StoredTraceStep[]; customsEventIds: string[] };
    flaggedOn: string;
  }
>;

/**
 * The lead unit's recheck. Lower and paid: `recovery` is opened for the difference; lower and unpaid: the award is
 * lowered in place (`loweringId`). Higher: `supplement` opens the 补发 (its id, and the countersign round's due
 * date unless the policy version skips the countersign).
 */
export type RecordRecheck = DomainCommand<
  'RecordRecheck',
  {
    checkedBy: string;
    recovery?: { recoveryId: string; dueDate: string };
    loweringId?: string;
    supplement?: { supplementId: string; skipCountersign: boolean; dueDate: string | null };
  }
>;

/** 补发: a cooperating unit's opinion on the supplementary award. */
export type RecordSupplementOpinion = DomainCommand<'RecordSupplementOpinion', { unit: UnitCode; verdict: ReviewVerdict; comment: string; author: string }>;

/** 补发 decided by the lead unit's head: what the approval saga reserved on the ledger and committed on the fund (the difference). */
export type ApproveSupplement = DomainCommand<'ApproveSupplement', { supplementId: string; commitmentId: string; approvedBy: string }>;

/** 补发 paid from its own fund commitment. */
export type DisburseSupplement = DomainCommand<'DisburseSupplement', { supplementId: string; paymentRef: string; disbursedBy: string }>;

export type CaseCommand =
  | SubmitApplication
  | AcceptCase
  | ReturnForCorrection
  | ResubmitApplication
  | RecordReviewOpinion
  | MarkReviewOverdue
  | ApproveAward
  | RejectApplication
  | DisburseAward
  | RecordPublicityObjection
  | UpholdAward
  | WithdrawAward
  | RevokeAward
  | RecordRepayment
  | FlagRecheck
  | RecordRecheck
  | ConfirmDeclarations
  | RecordSupplementOpinion
  | ApproveSupplement
  | DisburseSupplement;
