import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExistingCase, getPolicy } from '@cbec/domain';
import { CommandContext, deterministicId } from '@cbec/platform';
import { recoveryDueDate, WorkingDayCalendar } from '../calendar';
import { caseStep } from '../saga/award-steps';
import { CaseSequence } from '../saga/case-sequence';
import type { SagaStep } from '../saga/saga';
import { CommandAnswer } from '../shared/command-answer';

export class RecordRecheckCommand {
  constructor(
    readonly applicationId: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

/** 复核 by the lead unit: the outcome follows from the two computations; a lower paid award opens a recovery for the difference. */
export function recheckSteps(theCase: ExistingCase, checkedBy: string, recovery: { recoveryId: string; dueDate: string }): SagaStep[] {
  return [caseStep(theCase, { step: 'RecordRecheck', command: { type: 'RecordRecheck', data: { checkedBy, recovery } } })];
}

@CommandHandler(RecordRecheckCommand)
export class RecordRecheckHandler implements ICommandHandler<RecordRecheckCommand, CommandAnswer> {
  constructor(
    private readonly sequence: CaseSequence,
    private readonly calendar: WorkingDayCalendar,
  ) {}

  execute({ applicationId, ctx, expectedVersion }: RecordRecheckCommand): Promise<CommandAnswer> {
    return this.sequence.run(applicationId, 'record-recheck', ctx, expectedVersion, (theCase) => {
      const dueDate = recoveryDueDate(ctx.now, getPolicy(theCase.policyVersion).afterDecision.recoveryDueWorkingDays, this.calendar);
      return recheckSteps(theCase, ctx.actor.user, { recoveryId: deterministicId(ctx.commandId, 'recovery'), dueDate });
    });
  }
}
