import type { Saga, SagaNext, SagaStep, StepResult } from './saga';

/** Runs a saga in memory against step outcomes given in advance (for specs): the steps it took and how it ended. */
export function runScripted<S>(saga: Saga<S>, start: S, outcome: (step: SagaStep) => StepResult): { steps: string[]; end: SagaNext; state: S } {
  let state = start;
  const steps: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const next = saga.decide(state);
    if (next.kind !== 'run') return { steps, end: next, state };
    steps.push(next.step.step);
    state = saga.evolve(state, outcome(next.step));
  }
  throw new Error('the saga did not end within 1000 steps');
}
