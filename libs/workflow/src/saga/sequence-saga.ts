import type { Saga, SagaNext, SagaStep, StepResult } from './saga';

/**
 * A saga that takes its steps in order, forward only: the first step is the decision on the case (its
 * refusal is the answer, nothing else is done); the later ones carry it to the fund and the ledger. A later
 * step refused stops the saga where it is (interrupted): the decision stands, and the same command again
 * (same id) repeats nothing and finishes the rest.
 */
export interface SequenceState {
  steps: readonly SagaStep[];
  /** How many steps are done. */
  done: number;
  refusal: { error: Error; first: boolean } | null;
}

export const startSequence = (steps: readonly SagaStep[]): SequenceState => ({ steps, done: 0, refusal: null });

export const sequenceSaga: Saga<SequenceState> = {
  decide(state: SequenceState): SagaNext {
    if (state.refusal) return { kind: state.refusal.first ? 'failed' : 'interrupted', error: state.refusal.error };
    const next = state.steps[state.done];
    return next ? { kind: 'run', step: next } : { kind: 'completed' };
  },
  evolve(state: SequenceState, result: StepResult): SequenceState {
    if (result.ok) return { ...state, done: state.done + 1 };
    return { ...state, refusal: { error: result.error, first: state.done === 0 } };
  },
};
