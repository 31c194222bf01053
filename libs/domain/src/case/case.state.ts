import type { UnitCode } from '../policy/policy';
import type { ProgramId } from '../policy/programs';
import type { AwardApproved, CaseBeneficiary, CaseClaims, CaseEvent, CaseStatus, ReviewVerdict } from './case.events';

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

/** An AwardApproved stored before `approvableCny` existed carried "after caps" in `computedCny`. */
export const approvableCnyOf = (d: { approvableCny?: string | null; computedCny: string }): string => d.approvableCny ?? d.computedCny;

/** The one reading of an AwardApproved event into the approval (the case, its read model and the audit views). */
export function caseApprovalOf(d: AwardApproved['data']): CaseApproval {
  return {
    amountCny: d.amountCny,
    computedCny: d.computedCny,
    approvableCny: approvableCnyOf(d),
    reasonIfLower: d.reasonIfLower,
    capApplied: d.capApplied,
    trace: d.trace,
    policyVersion: d.policyVersion,
    customsEventIds: d.customsEventIds,
    reservationId: d.reservationId,
    commitmentId: d.commitmentId,
    approvedBy: d.approvedBy,
  };
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
    default:
      return state; // an event type this version does not know changes nothing it knows
  }
}
