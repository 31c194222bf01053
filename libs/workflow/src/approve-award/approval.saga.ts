import {
  beneficiaryStreamId,
  caseStreamId,
  caseTransitionRefusal,
  CaseStatus,
  CommitmentNotFound,
  fundStreamId,
  Publicity,
  RecruitAlreadyCounted,
  TraceStep,
} from '@cbec/domain';
import { WorkflowError } from '@cbec/platform';
import type { Saga, SagaNext, SagaStep, StepResult } from '../saga/saga';

/**
 * 四（三）: a recruit counts once, ever, for one platform only. Another platform's approval claimed these
 * recruits first; everything this approval reserved and claimed is released, so the head re-approves and
 * the recomputation leaves them out.
 */
export class RecruitCountedElsewhere extends WorkflowError {
  readonly code = 'recruit-counted-elsewhere';
  readonly httpStatus = 422;
  constructor(
    readonly usccs: string[],
    readonly countedBy: Array<{ uscc: string; platformUscc: string; applicationId: string }>,
  ) {
    super(`recruits already counted by another platform, nothing reserved: ${usccs.join(', ')}; approve again to recompute without them`);
  }
}

/**
 * What the approval decided, kept in the metadata of its AwardReserved event: if the process is cut off
 * after the reservation, the saga completes the very same decision (or releases it).
 */
export interface PendingApproval {
  applicationId: string;
  commitmentId: string;
  amountCny: string;
  /** Before caps, as `evaluate` reports it. */
  computedCny: string;
  /** After caps: the most the head may approve. */
  approvableCny: string;
  reasonIfLower: string | null;
  capApplied: string | null;
  trace: TraceStep[];
  policyVersion: string;
  customsEventIds: string[];
  approvedBy: string;
  recruits: string[];
  /** 公示 computed at the decision; absent from reservations made before publicity existed (none then). */
  publicity?: Publicity | null;
}

/** Why the saga compensates: the refusal it answers, and the reason the releases record. */
interface Failure {
  error: Error;
  reason: string;
  /** The fund commitment may exist (committed here, or by an interrupted earlier run): release it. */
  releaseCommitment: boolean;
}

/**
 * The approval after its reservation (docs/architecture.md, "The approval process"): claim each P3b recruit
 * on its own ledger, commit on the fund, approve the case, confirm the reservation; a refusal releases what
 * was taken, in reverse (FundCommitmentReleased, RecruitClaimReleased, ReservationReleased).
 */
export interface ApprovalSagaState {
  uscc: string;
  year: number;
  reservationId: string;
  applicationId: string;
  /** The decision the reservation carries; null when it carries none (it is released). */
  pending: PendingApproval | null;
  /** The recruits the reservation holds (released on compensation even without a pending decision). */
  recruits: string[];
  /** The case holds this very approval already (a repeat, or an interrupted run got that far). */
  caseApprovedByThis: boolean;
  /** Steps taken, forward and compensating, in order. */
  done: string[];
  refusedRecruits: RecruitAlreadyCounted[];
  failure: Failure | null;
  /** A step refused by a conflict (not by a rule): stop, the process resumes later. */
  interruption: Error | null;
}

export interface ApprovalStart {
  uscc: string;
  year: number;
  reservationId: string;
  applicationId: string;
  pending: PendingApproval | null;
  recruits: readonly string[];
  /** The case as found when the saga (re)starts. */
  caseStatus: CaseStatus;
  caseReservationId: string | null;
}

export function startApproval(s: ApprovalStart): ApprovalSagaState {
  const caseApprovedByThis = s.caseStatus === 'approved' && s.caseReservationId === s.reservationId;
  const refusal = caseApprovedByThis ? null : caseTransitionRefusal(s.caseStatus, 'ApproveAward');
  let failure: Failure | null = null;
  if (!s.pending) {
    failure = {
      error: new Error('no pending approval recorded with the reservation'),
      reason: 'no pending approval recorded with the reservation',
      releaseCommitment: false,
    };
  } else if (refusal) {
    failure = { error: refusal, reason: `the case is ${s.caseStatus}, no longer awaiting this approval`, releaseCommitment: true };
  }
  return {
    uscc: s.uscc,
    year: s.year,
    reservationId: s.reservationId,
    applicationId: s.applicationId,
    pending: s.pending,
    recruits: [...(s.pending?.recruits ?? s.recruits)],
    caseApprovedByThis,
    done: [],
    refusedRecruits: [],
    failure,
    interruption: null,
  };
}

const CLAIM = 'RecordRecruitCounted:';

export const approvalSaga: Saga<ApprovalSagaState> = {
  decide(state: ApprovalSagaState): SagaNext {
    if (state.interruption) return { kind: 'interrupted', error: state.interruption };
    if (state.failure) return compensate(state, state.failure);
    const pending = state.pending!;
    const { uscc, year, reservationId } = state;
    if (!state.caseApprovedByThis) {
      const unclaimed = state.recruits.find((r) => !state.done.includes(CLAIM + r) && !state.refusedRecruits.some((e) => e.uscc === r));
      if (unclaimed) {
        return run({
          step: CLAIM + unclaimed,
          aggregate: 'beneficiary',
          streamId: beneficiaryStreamId(unclaimed),
          command: { type: 'RecordRecruitCounted', data: { uscc: unclaimed, platformUscc: uscc, year, applicationId: state.applicationId } },
        });
      }
      if (!state.done.includes('CommitFunds')) {
        return run({
          step: 'CommitFunds',
          aggregate: 'fund',
          streamId: fundStreamId(year),
          command: {
            type: 'CommitFunds',
            data: { year, commitmentId: pending.commitmentId, applicationId: state.applicationId, amountCny: pending.amountCny },
          },
        });
      }
      if (!state.done.includes('ApproveAward')) {
        return run({
          step: 'ApproveAward',
          aggregate: 'case',
          streamId: caseStreamId(state.applicationId),
          policyVersion: pending.policyVersion,
          command: {
            type: 'ApproveAward',
            data: {
              amountCny: pending.amountCny,
              computedCny: pending.computedCny,
              approvableCny: pending.approvableCny,
              reasonIfLower: pending.reasonIfLower,
              capApplied: pending.capApplied,
              trace: pending.trace,
              policyVersion: pending.policyVersion,
              customsEventIds: pending.customsEventIds,
              reservationId,
              commitmentId: pending.commitmentId,
              approvedBy: pending.approvedBy,
              publicity: pending.publicity ?? null,
            },
          },
        });
      }
    }
    if (!state.done.includes('ConfirmReservation')) {
      return run({
        step: 'ConfirmReservation',
        aggregate: 'beneficiary',
        streamId: beneficiaryStreamId(uscc),
        command: { type: 'ConfirmReservation', data: { uscc, reservationId } },
      });
    }
    return { kind: 'completed' };
  },

  evolve(state: ApprovalSagaState, result: StepResult): ApprovalSagaState {
    const done = result.ok ? [...state.done, result.step] : state.done;
    if (result.ok) return withRecruitVerdict({ ...state, done });
    const { step, error } = result;
    const compensating = state.failure !== null;
    if (compensating) {
      // Nothing committed under this id (the earlier run stopped before the fund): nothing to release.
      if (step === 'ReleaseCommitment' && error instanceof CommitmentNotFound) return { ...state, done: [...state.done, step] };
      return { ...state, interruption: error };
    }
    if (step.startsWith(CLAIM) && error instanceof RecruitAlreadyCounted) {
      return withRecruitVerdict({ ...state, refusedRecruits: [...state.refusedRecruits, error] });
    }
    // A conflict that outlived its retries is not an answer, except on the case: the decision it carries
    // was taken on a case that changed under it.
    if (!result.byRule && step !== 'ApproveAward') return { ...state, interruption: error };
    if (step.startsWith(CLAIM)) {
      return { ...state, failure: { error, reason: `recruit ${step.slice(CLAIM.length)}: ${error.code}`, releaseCommitment: false } };
    }
    if (step === 'CommitFunds') return { ...state, failure: { error, reason: `fund ${state.year}: ${error.code}`, releaseCommitment: false } };
    if (step === 'ApproveAward') return { ...state, failure: { error, reason: `case: ${error.code}`, releaseCommitment: true } };
    return { ...state, interruption: error }; // the confirmation refused: left for the process to settle
  },
};

/** Once every recruit was tried: any counted by another platform fails the approval (after compensation). */
function withRecruitVerdict(state: ApprovalSagaState): ApprovalSagaState {
  if (state.failure || state.refusedRecruits.length === 0) return state;
  const tried = state.recruits.every((r) => state.done.includes(CLAIM + r) || state.refusedRecruits.some((e) => e.uscc === r));
  if (!tried) return state;
  const usccs = state.refusedRecruits.map((e) => e.uscc);
  const error = new RecruitCountedElsewhere(
    usccs,
    state.refusedRecruits.map((e) => ({ uscc: e.uscc, platformUscc: e.countedBy.platformUscc, applicationId: e.countedBy.applicationId })),
  );
  return { ...state, failure: { error, reason: `recruits counted by another platform: ${usccs.join(', ')}`, releaseCommitment: false } };
}

/** Compensation, recorded as events, in reverse order of the steps taken; then the refusal is the answer. */
function compensate(state: ApprovalSagaState, failure: Failure): SagaNext {
  const { uscc, year, reservationId } = state;
  const reason = failure.reason;
  if (failure.releaseCommitment && state.pending && !state.done.includes('ReleaseCommitment')) {
    return run({
      step: 'ReleaseCommitment',
      aggregate: 'fund',
      streamId: fundStreamId(year),
      command: { type: 'ReleaseCommitment', data: { year, commitmentId: state.pending.commitmentId, reason } },
    });
  }
  // Only this approval's own claims are released: the recruit's ledger ignores a claim another platform holds.
  const unreleased = [...state.recruits].reverse().find((r) => !state.done.includes(`ReleaseRecruitClaim:${r}`));
  if (unreleased) {
    return run({
      step: `ReleaseRecruitClaim:${unreleased}`,
      aggregate: 'beneficiary',
      streamId: beneficiaryStreamId(unreleased),
      command: { type: 'ReleaseRecruitClaim', data: { uscc: unreleased, platformUscc: uscc, applicationId: state.applicationId, reason } },
    });
  }
  if (!state.done.includes('ReleaseReservation')) {
    return run({
      step: 'ReleaseReservation',
      aggregate: 'beneficiary',
      streamId: beneficiaryStreamId(uscc),
      command: { type: 'ReleaseReservation', data: { uscc, reservationId, reason } },
    });
  }
  return { kind: 'failed', error: failure.error };
}

const run = (step: SagaStep): SagaNext => ({ kind: 'run', step });
