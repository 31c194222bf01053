import { Injectable } from '@nestjs/common';
import { caseDecider, caseStreamId, ExistingCase } from '@cbec/domain';
import { AggregateStore, CommandContext, VersionConflict } from '@cbec/platform';
import { assertCanAct, WorkflowStep } from '../auth/authorization';
import { CommandAnswer, requireCase } from '../shared/command-answer';
import type { SagaStep } from './saga';
import { SagaExecutor, sagaStepId } from './saga-executor';
import { sequenceSaga, startSequence } from './sequence-saga';

/**
 * The shell of a use case whose decision on the case is carried to the fund and the ledger: loads the case,
 * checks who may take the step and the caller's `If-Match`, asks the use case for its steps (pure, from the
 * case), and runs them as a forward-only saga whose id is the command's (a repeat finishes, never doubles).
 */
@Injectable()
export class CaseSequence {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly sagas: SagaExecutor,
  ) {}

  async run(
    applicationId: string,
    step: WorkflowStep,
    ctx: CommandContext,
    expectedVersion: number | undefined,
    steps: (theCase: ExistingCase) => SagaStep[],
  ): Promise<CommandAnswer> {
    const loaded = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
    const theCase = requireCase(loaded.state);
    assertCanAct(ctx.actor, step, theCase, theCase.beneficiary.uscc);
    const planned = steps(theCase);
    const [first, ...rest] = planned;
    // If-Match is the caller's view of the case: the decision (the first step) is refused on another version.
    const repeated = loaded.events.some((e) => e.metadata.commandId === sagaStepId(ctx.commandId, first.step));
    if (expectedVersion !== undefined && !repeated && expectedVersion !== loaded.version) {
      throw new VersionConflict(caseStreamId(applicationId), expectedVersion, loaded.version);
    }
    const { results } = await this.sagas.run(sequenceSaga, startSequence([first, ...rest]), ctx.commandId, ctx);
    const decided = results.get(first.step)!;
    const positions = [...results.values()].map((r) => r.position);
    return { applicationId, version: decided.version, position: Math.max(...positions) };
  }
}
