import { beneficiaryStreamId, caseStreamId, CommitmentNotFound, fundStreamId } from '@cbec/domain';
import type { Saga, SagaNext, SagaStep, StepResult } from '../saga/saga';

/**
 * 补发 (supplementary award) after a recheck found the award higher, once its countersign is complete: the
 * approval of the difference only. The ledger raises the award to its new total, checked against the caps over
 * the enterprise's other awards of the year (AwardAdjusted); the fund commits the difference on a commitment of
 * its own (FundsCommitted); the case records the decision (SupplementaryAwardApproved). A refusal undoes what
 * was taken, in reverse (FundCommitmentReleased, AwardAdjusted back to the amount before).
 */
export interface SupplementSagaState {
  applicationId: string;
  uscc: string;
  year: number;
  supplementId: string;
  reservationId: string;
  commitmentId: string;
  /** What the award counts for before the supplement, and after. */
  fromCny: string;
  toCny: string;
  amountCny: string;
  approvedBy: string;
  policyVersion: string;
  done: string[];
  failure: Error | null;
  interruption: Error | null;
}

export type SupplementStart = Omit<SupplementSagaState, 'done' | 'failure' | 'interruption'>;

export const startSupplement = (s: SupplementStart): SupplementSagaState => ({ ...s, done: [], failure: null, interruption: null });

export const supplementSaga: Saga<SupplementSagaState> = {
  decide(state: SupplementSagaState): SagaNext {
    if (state.interruption) return { kind: 'interrupted', error: state.interruption };
    if (state.failure) return compensate(state, state.failure);
    const { uscc, year, applicationId } = state;
    if (!state.done.includes('RaiseAward')) {
      return run({
        step: 'RaiseAward',
        aggregate: 'beneficiary',
        streamId: beneficiaryStreamId(uscc),
        command: {
          type: 'AdjustAward',
          data: { uscc, reservationId: state.reservationId, adjustmentId: state.supplementId, toCny: state.toCny, reason: `补发 ${state.supplementId}` },
        },
      });
    }
    if (!state.done.includes('CommitFunds')) {
      return run({
        step: 'CommitFunds',
        aggregate: 'fund',
        streamId: fundStreamId(year),
        command: { type: 'CommitFunds', data: { year, commitmentId: state.commitmentId, applicationId, amountCny: state.amountCny } },
      });
    }
    if (!state.done.includes('ApproveSupplement')) {
      return run({
        step: 'ApproveSupplement',
        aggregate: 'case',
        streamId: caseStreamId(applicationId),
        policyVersion: state.policyVersion,
        command: { type: 'ApproveSupplement', data: { supplementId: state.supplementId, commitmentId: state.commitmentId, approvedBy: state.approvedBy } },
      });
    }
    return { kind: 'completed' };
  },

  evolve(state: SupplementSagaState, result: StepResult): SupplementSagaState {
    if (result.ok) return { ...state, done: [...state.done, result.step] };
    const { step, error } = result;
    if (state.failure) {
      // Nothing committed under this id (an earlier run stopped before the fund): nothing to release.
      if (step === 'ReleaseCommitment' && error instanceof CommitmentNotFound) return { ...state, done: [...state.done, step] };
      return { ...state, interruption: error };
    }
    // A conflict that outlived its retries is no answer (run again, it continues), except on the case: the
    // decision was taken on a case that changed under it.
    if (!result.byRule && step !== 'ApproveSupplement') return { ...state, interruption: error };
    return { ...state, failure: error };
  },
};

function compensate(state: SupplementSagaState, failure: Error): SagaNext {
  const { uscc, year } = state;
  const reason = `补发 ${state.supplementId} refused: ${(failure as { code?: string }).code ?? failure.message}`;
  if (state.done.includes('CommitFunds') && !state.done.includes('ReleaseCommitment')) {
    return run({
      step: 'ReleaseCommitment',
      aggregate: 'fund',
      streamId: fundStreamId(year),
      command: { type: 'ReleaseCommitment', data: { year, commitmentId: state.commitmentId, reason } },
    });
  }
  if (state.done.includes('RaiseAward') && !state.done.includes('RestoreAward')) {
    return run({
      step: 'RestoreAward',
      aggregate: 'beneficiary',
      streamId: beneficiaryStreamId(uscc),
      command: {
        type: 'AdjustAward',
        data: { uscc, reservationId: state.reservationId, adjustmentId: `${state.supplementId}:undo`, toCny: state.fromCny, reason },
      },
    });
  }
  return { kind: 'failed', error: failure };
}

const run = (step: SagaStep): SagaNext => ({ kind: 'run', step });
