import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { beneficiaryStreamId, ExistingCase, fundStreamId, getPolicy, recheckOutcomeOf } from '@cbec/domain';
import { CommandContext, deterministicId } from '@cbec/platform';
import { recoveryDueDate, reviewDueDate, WorkingDayCalendar } from '../calendar';
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

export interface RecheckIds {
  /** A lower award already paid: the recovery order of the difference. */
  recovery: { recoveryId: string; dueDate: string };
  /** A lower award not yet paid: the lowering in place (its fund reduction and ledger adjustment). */
  loweringId: string;
  /** A higher award: the supplementary award (补发), its countersign due on `dueDate` unless the policy skips it. */
  supplement: { supplementId: string; skipCountersign: boolean; dueDate: string | null };
}

/**
 * 复核 by the lead unit: the outcome follows from the two computations (recheckOutcomeOf, the case decider's
 * own reading). A lower award not yet paid is lowered in place: the case records it, then the fund's commitment
 * is reduced by the difference and the ledger's hold follows, as one forward saga. A lower paid one opens a
 * recovery of the difference; a higher one opens the supplementary award (补发), approved later through the
 * countersign and the head's decision.
 */
export function recheckSteps(theCase: ExistingCase, checkedBy: string, ids: RecheckIds): SagaStep[] {
  const { outcome, revised, difference } = recheckOutcomeOf(theCase);
  const recheck = caseStep(theCase, {
    step: 'RecordRecheck',
    command: { type: 'RecordRecheck', data: { checkedBy, recovery: ids.recovery, loweringId: ids.loweringId, supplement: ids.supplement } },
  });
  if (outcome !== 'lower' || theCase.status === 'disbursed' || revised.isZero()) return [recheck];
  const { commitmentId, reservationId } = theCase.approval!;
  const uscc = theCase.beneficiary.uscc;
  const reason = `复核: lowered in place to ${revised.toString()} after a customs revision`;
  return [
    recheck,
    {
      step: 'ReduceCommitment',
      aggregate: 'fund',
      streamId: fundStreamId(theCase.year),
      command: { type: 'ReduceCommitment', data: { year: theCase.year, commitmentId, reductionId: ids.loweringId, amountCny: difference.toString(), reason } },
    },
    {
      step: 'LowerAward',
      aggregate: 'beneficiary',
      streamId: beneficiaryStreamId(uscc),
      command: { type: 'AdjustAward', data: { uscc, reservationId, adjustmentId: ids.loweringId, toCny: revised.toString(), reason } },
    },
  ];
}

@CommandHandler(RecordRecheckCommand)
export class RecordRecheckHandler implements ICommandHandler<RecordRecheckCommand, CommandAnswer> {
  constructor(
    private readonly sequence: CaseSequence,
    private readonly calendar: WorkingDayCalendar,
  ) {}

  execute({ applicationId, ctx, expectedVersion }: RecordRecheckCommand): Promise<CommandAnswer> {
    return this.sequence.run(applicationId, 'record-recheck', ctx, expectedVersion, (theCase) => {
      const policy = getPolicy(theCase.policyVersion);
      const dueDate = recoveryDueDate(ctx.now, policy.afterDecision.recoveryDueWorkingDays, this.calendar);
      const skipCountersign = policy.afterDecision.supplementarySkipsCountersign;
      return recheckSteps(theCase, ctx.actor.user, {
        recovery: { recoveryId: deterministicId(ctx.commandId, 'recovery'), dueDate },
        loweringId: deterministicId(ctx.commandId, 'lowering'),
        supplement: {
          supplementId: deterministicId(ctx.commandId, 'supplement'),
          skipCountersign,
          dueDate: skipCountersign ? null : reviewDueDate(ctx.now, policy.reviewPeriodWorkingDays, this.calendar).date,
        },
      });
    });
  }
}
