import type { UnitCode } from '../policy/policy';
import { Money } from '../shared/money';
import type { ProgramId } from '../policy/programs';
import type { AwardApproved, CaseBeneficiary, CaseClaims, CaseEvent, CaseStatus, RecheckRecorded, RecheckRequired, ReviewVerdict } from './case.events';

export interface PendingReview {
  unit: UnitCode;
  dueDate: string;
  overdue: boolean;
}

export interface CaseOpinion {
  round: number;
  unit: UnitCode;
  verdict: ReviewVerdict;
  comment: string;
  author: string;
}

export interface OverdueReview {
  round: number;
  unit: UnitCode;
  dueDate: string;
}

/** A decided award as the case keeps it: the AwardApproved data without the case's own identifiers. */
export type CaseApproval = Omit<AwardApproved['data'], 'applicationId' | 'program' | 'year' | 'uscc'>;

/**
 * For readers of events in their stored form (an exported bundle, the hash check): an AwardApproved stored
 * before `approvableCny` existed carried "after caps" in `computedCny`. Events read from the store come
 * through the upcaster (events/upcasters.ts) and always carry it.
 */
export const approvableCnyOf = (d: { approvableCny?: string | null; computedCny: string }): string => d.approvableCny ?? d.computedCny;

/** The one reading of an AwardApproved event into the approval (the case, its read model and the audit views). */
export function caseApprovalOf(d: AwardApproved['data']): CaseApproval {
  return {
    amountCny: d.amountCny,
    computedCny: d.computedCny,
    approvableCny: d.approvableCny,
    reasonIfLower: d.reasonIfLower,
    capApplied: d.capApplied,
    trace: d.trace,
    policyVersion: d.policyVersion,
    customsEventIds: d.customsEventIds,
    reservationId: d.reservationId,
    commitmentId: d.commitmentId,
    approvedBy: d.approvedBy,
    publicity: d.publicity,
  };
}

/** A recovery order (追回) and the money returned against it. */
export interface CaseRecovery {
  recoveryId: string;
  amountCny: string;
  dueDate: string;
  cause: 'revocation' | 'revision';
  repaidCny: string;
  outstandingCny: string;
  repayments: Array<{ repaymentRef: string; amountCny: string; recordedBy: string }>;
  settled: boolean;
}

/** 补发: a supplementary award after a recheck found the award higher, through countersign and decision. */
export interface CaseSupplement {
  supplementId: string;
  differenceCny: string;
  revisedCny: string;
  countersignSkipped: boolean;
  /** Cooperating units whose opinion is awaited. */
  pendingUnits: UnitCode[];
  opinions: Array<{ unit: UnitCode; verdict: ReviewVerdict; comment: string; author: string }>;
  /** A unit answered reject: the supplement is not approved. */
  objectedBy: UnitCode | null;
  approved: { commitmentId: string; approvedBy: string; amountCny: string } | null;
  paid: { paymentRef: string; disbursedBy: string } | null;
}

/** What the award counts for now: the approved amount (lowered in place, if it was) plus every supplement approved. */
export function awardedCnyOf(state: Pick<ExistingCase, 'approval' | 'supplements'>): string {
  return state.supplements
    .filter((s) => s.approved)
    .reduce((sum, s) => sum.add(Money.cny(s.approved!.amountCny)), Money.cny(state.approval?.amountCny ?? '0.00'))
    .toString();
}

/** What happened after the decision: objections, upholding, withdrawal, revocation. */
export interface CaseAfterDecision {
  objection: { source: string; detail: string; asOfDate: string; recordedBy: string } | null;
  /** The lead unit upheld the award after an objection: payment no longer waits for the publicity. */
  upheld: { reason: string; upheldBy: string } | null;
  withdrawal: { reason: string; withdrawnBy: string } | null;
  revocation: { reason: string; evidenceRef: string; fromStatus: CaseStatus; revokedBy: string } | null;
  /** 复核 awaiting the lead unit (a customs revision reached this award), or null. */
  recheck: RecheckRequired['data'] | null;
  /** Rechecks decided, in order. */
  rechecks: Array<RecheckRecorded['data']>;
}

/** No ApplicationSubmitted yet on the stream. */
export interface NoCase {
  status: 'none';
}

/** A case as its events left it (independent of the stream's version, which the store keeps). */
export interface ExistingCase {
  status: CaseStatus;
  applicationId: string;
  program: ProgramId;
  year: number;
  beneficiary: CaseBeneficiary;
  claims: CaseClaims;
  leadUnit: UnitCode;
  cooperatingUnits: UnitCode[];
  policyVersion: string;
  /** Who submitted and resubmitted the application (the users of the chain's first step, for four eyes). */
  submitters: string[];
  /** 0 until accepted; each acceptance opens round + 1. */
  round: number;
  /** `calendar-missing:<year>` of the current round's due dates (counted Monday–Friday for lack of a calendar). */
  calendarNotes: string[];
  /** Reviews of the current round still awaited (with their due dates). */
  pendingReviews: PendingReview[];
  /** Every opinion, all rounds. */
  opinions: CaseOpinion[];
  /** Every review recorded overdue, all rounds. */
  overdueReviews: OverdueReview[];
  /** The last reason the case was returned for correction, or null. */
  returnReason: string | null;
  approval: CaseApproval | null;
  rejection: { reason: string; rejectedBy: string; fromStatus: CaseStatus } | null;
  disbursement: { paymentRef: string; amountCny: string; disbursedBy: string } | null;
  afterDecision: CaseAfterDecision;
  recoveries: CaseRecovery[];
  /** 免申即享: opened by COM on the customs statistics; `declarationsPending` empty once the enterprise confirmed. */
  proactive: { openedBy: string; declarationsPending: string[]; confirmedBy: string | null } | null;
  /** 补发, in order. */
  supplements: CaseSupplement[];
}

export type CaseState = NoCase | ExistingCase;

export const initialCaseState = (): CaseState => ({ status: 'none' });

export function evolveCase(state: CaseState, event: CaseEvent): CaseState {
  if (event.type === 'ApplicationSubmitted') {
    const d = event.data;
    return {
      status: 'submitted',
      applicationId: d.applicationId,
      program: d.program,
      year: d.year,
      beneficiary: d.beneficiary,
      claims: d.claims,
      leadUnit: d.leadUnit,
      cooperatingUnits: d.cooperatingUnits,
      policyVersion: d.policyVersion,
      submitters: [d.submittedBy],
      round: 0,
      calendarNotes: [],
      pendingReviews: [],
      opinions: [],
      overdueReviews: [],
      returnReason: null,
      approval: null,
      rejection: null,
      disbursement: null,
      afterDecision: { objection: null, upheld: null, withdrawal: null, revocation: null, recheck: null, rechecks: [] },
      recoveries: [],
      proactive: null,
      supplements: [],
    };
  }
  if (state.status === 'none') return state; // a stream's first event is always ApplicationSubmitted
  switch (event.type) {
    case 'CaseAccepted':
      return {
        ...state,
        status: 'under-review',
        round: event.data.round,
        calendarNotes: event.data.calendarNotes ?? [],
        pendingReviews: event.data.reviews.map((r) => ({ unit: r.unit, dueDate: r.dueDate, overdue: false })),
      };
    case 'ApplicationReturned':
      return { ...state, status: 'returned', returnReason: event.data.reason, pendingReviews: [] };
    case 'ApplicationResubmitted':
      return {
        ...state,
        status: 'submitted',
        claims: event.data.claims,
        submitters: state.submitters.includes(event.data.resubmittedBy) ? state.submitters : [...state.submitters, event.data.resubmittedBy],
      };
    case 'ReviewOpinionRecorded': {
      const { round, unit, verdict, comment, author } = event.data;
      return {
        ...state,
        opinions: [...state.opinions, { round, unit, verdict, comment, author }],
        pendingReviews: state.pendingReviews.filter((r) => r.unit !== unit),
      };
    }
    case 'ApplicationObjected':
      return { ...state, status: 'objected', pendingReviews: [] };
    case 'ApplicationReadyForDecision':
      return { ...state, status: 'ready-for-decision', pendingReviews: [] };
    case 'ReviewOverdue': {
      const { round, unit, dueDate } = event.data;
      return {
        ...state,
        overdueReviews: [...state.overdueReviews, { round, unit, dueDate }],
        pendingReviews: state.pendingReviews.map((r) => (r.unit === unit && round === state.round ? { ...r, overdue: true } : r)),
      };
    }
    case 'AwardApproved': {
      const d = event.data;
      return {
        ...state,
        status: 'approved',
        approval: caseApprovalOf(d),
      };
    }
    case 'ApplicationRejected':
      return {
        ...state,
        status: 'rejected',
        pendingReviews: [],
        rejection: { reason: event.data.reason, rejectedBy: event.data.rejectedBy, fromStatus: event.data.fromStatus },
      };
    case 'AwardDisbursed':
      return {
        ...state,
        status: 'disbursed',
        disbursement: {
          paymentRef: event.data.paymentRef,
          amountCny: event.data.amountCny,
          disbursedBy: event.data.disbursedBy,
        },
      };
    case 'PublicityObjectionRecorded': {
      const { source, detail, asOfDate, recordedBy } = event.data;
      return { ...state, status: 'publicity-objected', afterDecision: { ...state.afterDecision, objection: { source, detail, asOfDate, recordedBy } } };
    }
    case 'AwardUpheld':
      return { ...state, status: 'approved', afterDecision: { ...state.afterDecision, upheld: { reason: event.data.reason, upheldBy: event.data.upheldBy } } };
    case 'AwardWithdrawn':
      return {
        ...state,
        status: 'withdrawn',
        afterDecision: { ...state.afterDecision, withdrawal: { reason: event.data.reason, withdrawnBy: event.data.withdrawnBy } },
      };
    case 'AwardRevoked': {
      const { reason, evidenceRef, fromStatus, revokedBy } = event.data;
      return { ...state, status: 'revoked', afterDecision: { ...state.afterDecision, revocation: { reason, evidenceRef, fromStatus, revokedBy } } };
    }
    case 'RecoveryOrdered': {
      const { recoveryId, amountCny, dueDate, cause } = event.data;
      const recovery: CaseRecovery = { recoveryId, amountCny, dueDate, cause, repaidCny: '0.00', outstandingCny: amountCny, repayments: [], settled: false };
      return { ...state, recoveries: [...state.recoveries, recovery] };
    }
    case 'RepaymentRecorded': {
      const { recoveryId, repaymentRef, amountCny, outstandingCny, recordedBy } = event.data;
      return {
        ...state,
        recoveries: state.recoveries.map((r) =>
          r.recoveryId === recoveryId
            ? {
                ...r,
                repaidCny: Money.cny(r.repaidCny).add(Money.cny(amountCny)).toString(),
                outstandingCny,
                repayments: [...r.repayments, { repaymentRef, amountCny, recordedBy }],
              }
            : r,
        ),
      };
    }
    case 'RecheckRequired':
      return { ...state, afterDecision: { ...state.afterDecision, recheck: event.data } };
    case 'RecheckRecorded':
      return { ...state, afterDecision: { ...state.afterDecision, recheck: null, rechecks: [...state.afterDecision.rechecks, event.data] } };
    case 'ProactiveCaseOpened':
      return { ...state, proactive: { openedBy: event.data.openedBy, declarationsPending: [...event.data.declarationsPending], confirmedBy: null } };
    case 'DeclarationsConfirmed':
      return {
        ...state,
        claims: event.data.claims,
        proactive: state.proactive ? { ...state.proactive, declarationsPending: [], confirmedBy: event.data.confirmedBy } : null,
      };
    case 'SupplementaryAwardOpened': {
      const d = event.data;
      const supplement: CaseSupplement = {
        supplementId: d.supplementId,
        differenceCny: d.differenceCny,
        revisedCny: d.revisedCny,
        countersignSkipped: d.countersignSkipped,
        pendingUnits: d.reviews.map((r) => r.unit),
        opinions: [],
        objectedBy: null,
        approved: null,
        paid: null,
      };
      return { ...state, supplements: [...state.supplements, supplement] };
    }
    case 'SupplementOpinionRecorded': {
      const { supplementId, unit, verdict, comment, author } = event.data;
      return {
        ...state,
        supplements: state.supplements.map((s) =>
          s.supplementId === supplementId
            ? {
                ...s,
                pendingUnits: s.pendingUnits.filter((u) => u !== unit),
                opinions: [...s.opinions, { unit, verdict, comment, author }],
                objectedBy: s.objectedBy ?? (verdict === 'reject' ? unit : null),
              }
            : s,
        ),
      };
    }
    case 'SupplementaryAwardApproved': {
      const { supplementId, commitmentId, approvedBy, amountCny } = event.data;
      return {
        ...state,
        supplements: state.supplements.map((s) => (s.supplementId === supplementId ? { ...s, approved: { commitmentId, approvedBy, amountCny } } : s)),
      };
    }
    case 'SupplementDisbursed': {
      const { supplementId, paymentRef, disbursedBy } = event.data;
      return { ...state, supplements: state.supplements.map((s) => (s.supplementId === supplementId ? { ...s, paid: { paymentRef, disbursedBy } } : s)) };
    }
    case 'AwardLowered':
      return state.approval ? { ...state, approval: { ...state.approval, amountCny: event.data.toCny } } : state;
    case 'RecoverySettled':
      return { ...state, recoveries: state.recoveries.map((r) => (r.recoveryId === event.data.recoveryId ? { ...r, settled: true } : r)) };
    default:
      return state; // an event type this version does not know changes nothing it knows
  }
}
