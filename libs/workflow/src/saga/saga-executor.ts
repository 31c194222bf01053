import { Injectable } from '@nestjs/common';
import { beneficiaryDecider, caseDecider, DomainError, fundDecider } from '@cbec/domain';
import { AggregateStore, CommandContext, deterministicId, ExecuteResult, VersionConflict } from '@cbec/platform';
import type { Saga, SagaStep, StepResult } from './saga';

export interface SagaRun<S> {
  state: S;
  /** What each step that ran stored, by step name. */
  results: Map<string, ExecuteResult<unknown>>;
}

/**
 * The thin shell of every saga: asks the saga for its next step, runs it on its stream through the
 * aggregate store (the stream's decider guards it), tells the saga what became of it, until the saga ends.
 * A completed saga answers its state; a failed one throws the error the saga chose (after its
 * compensation); an interrupted one throws and is left for the approval process to resume.
 */
@Injectable()
export class SagaExecutor {
  constructor(private readonly aggregates: AggregateStore) {}

  async run<S>(saga: Saga<S>, start: S, sagaId: string, ctx: CommandContext): Promise<SagaRun<S>> {
    let state = start;
    const results = new Map<string, ExecuteResult<unknown>>();
    for (;;) {
      const next = saga.decide(state);
      if (next.kind === 'completed') return { state, results };
      if (next.kind === 'failed' || next.kind === 'interrupted') throw next.error;
      const { step } = next;
      let result: StepResult;
      try {
        results.set(step.step, await this.execute(step, this.stepCtx(ctx, sagaId, step)));
        result = { step: step.step, ok: true };
      } catch (error) {
        if (!(error instanceof DomainError || error instanceof VersionConflict)) throw error;
        result = { step: step.step, ok: false, error, byRule: error instanceof DomainError };
      }
      state = saga.evolve(state, result);
    }
  }

  private execute(step: SagaStep, ctx: CommandContext): Promise<ExecuteResult<unknown>> {
    const opts = { expectedVersion: step.expectedVersion, metadata: step.metadata };
    switch (step.aggregate) {
      case 'case':
        return this.aggregates.execute(step.streamId, caseDecider, step.command, ctx, opts);
      case 'beneficiary':
        return this.aggregates.execute(step.streamId, beneficiaryDecider, step.command, ctx, opts);
      case 'fund':
        return this.aggregates.execute(step.streamId, fundDecider, step.command, ctx, opts);
    }
  }

  private stepCtx(ctx: CommandContext, sagaId: string, step: SagaStep): CommandContext {
    return {
      ...ctx,
      commandId: sagaStepId(sagaId, step.step),
      causationId: ctx.causationId ?? ctx.commandId,
      ...(step.policyVersion ? { policyVersion: step.policyVersion } : {}),
    };
  }
}

/** The command id of one step of one saga: the same saga and step always give the same id. */
export const sagaStepId = (sagaId: string, step: string): string => deterministicId(sagaId, step);
