import type { BeneficiaryCommand, CaseCommand, FundCommand } from '@cbec/domain';

/**
 * A saga: a process across several streams (no store offers a transaction across them), written as a pure
 * `decide(state) -> next` and `evolve(state, result) -> state`, so every path is a given/when/then spec and
 * the executor that runs it is a loop. Each step names the one command it asks of one stream; its id
 * derives from the saga's id and the step's name, so a saga run again after an interruption repeats
 * nothing (the store recognises the same command) and continues where the last run stopped.
 */

/** The aggregates a saga may command, each by its own decider. */
export type SagaCommand =
  { aggregate: 'case'; command: CaseCommand } | { aggregate: 'beneficiary'; command: BeneficiaryCommand } | { aggregate: 'fund'; command: FundCommand };

export type SagaStep = SagaCommand & {
  /** Unique within one saga: the command id derives from it. */
  step: string;
  streamId: string;
  /** Recorded in the events' metadata (a decision applies a policy version). */
  policyVersion?: string;
  /** Refuse unless the stream is at this version (a step computed on what it read). */
  expectedVersion?: number;
  /** Extra metadata for the step's events. */
  metadata?: Record<string, unknown>;
};

/**
 * What became of a step: done, or refused. `byRule` is true when the stream's rules refused it (a
 * DomainError: retrying cannot change the answer); false for a conflict that outlived its retries.
 */
export type StepResult = { step: string; ok: true } | { step: string; ok: false; error: Error & { code?: string }; byRule: boolean };

/** The saga's next move: run a step, or stop (completed, or failed with the error the caller answers). */
export type SagaNext = { kind: 'run'; step: SagaStep } | { kind: 'completed' } | { kind: 'failed'; error: Error } | { kind: 'interrupted'; error: Error };

export interface Saga<S> {
  decide(state: S): SagaNext;
  evolve(state: S, result: StepResult): S;
}
