import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { beneficiaryStreamId, ExistingCase, fundStreamId } from '@cbec/domain';
import { CommandContext } from '@cbec/platform';
import { caseStep } from '../saga/award-steps';
import { CaseSequence } from '../saga/case-sequence';
import type { SagaStep } from '../saga/saga';
import { CommandAnswer } from '../shared/command-answer';

export class RecordRepaymentCommand {
  constructor(
    readonly applicationId: string,
    readonly recoveryId: string,
    readonly repaymentRef: string,
    readonly amountCny: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

/**
 * 追回: money returned on a recovery order. The case checks it against what is still owed (and settles the
 * order with the last fen); then the fund's committed and disbursed amounts fall by it, and the ledger's
 * award counts for less against the caps: they follow the money actually returned.
 */
export function repaymentSteps(
  theCase: ExistingCase,
  repayment: { recoveryId: string; repaymentRef: string; amountCny: string; recordedBy: string },
): SagaStep[] {
  const { commitmentId, reservationId } = theCase.approval!;
  const { repaymentRef, amountCny } = repayment;
  const uscc = theCase.beneficiary.uscc;
  return [
    caseStep(theCase, { step: 'RecordRepayment', command: { type: 'RecordRepayment', data: repayment } }),
    {
      step: 'RecordFundRepayment',
      aggregate: 'fund',
      streamId: fundStreamId(theCase.year),
      command: { type: 'RecordFundRepayment', data: { year: theCase.year, commitmentId, amountCny, repaymentRef } },
    },
    {
      step: 'RecordAwardRepayment',
      aggregate: 'beneficiary',
      streamId: beneficiaryStreamId(uscc),
      command: { type: 'RecordAwardRepayment', data: { uscc, reservationId, repaymentRef, amountCny } },
    },
  ];
}

@CommandHandler(RecordRepaymentCommand)
export class RecordRepaymentHandler implements ICommandHandler<RecordRepaymentCommand, CommandAnswer> {
  constructor(private readonly sequence: CaseSequence) {}

  execute({ applicationId, recoveryId, repaymentRef, amountCny, ctx, expectedVersion }: RecordRepaymentCommand): Promise<CommandAnswer> {
    return this.sequence.run(applicationId, 'record-repayment', ctx, expectedVersion, (theCase) =>
      repaymentSteps(theCase, { recoveryId, repaymentRef, amountCny, recordedBy: ctx.actor.user }),
    );
  }
}
