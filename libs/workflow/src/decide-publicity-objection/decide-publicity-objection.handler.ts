import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExistingCase } from '@cbec/domain';
import { CommandContext } from '@cbec/platform';
import { caseStep, releaseAwardSteps } from '../saga/award-steps';
import { CaseSequence } from '../saga/case-sequence';
import type { SagaStep } from '../saga/saga';
import { CommandAnswer } from '../shared/command-answer';

export class DecidePublicityObjectionCommand {
  constructor(
    readonly applicationId: string,
    readonly decision: 'uphold' | 'withdraw',
    readonly reason: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

/**
 * The lead unit answers an objection: upheld, the award stands (and may be paid at once); withdrawn, the
 * case records it, then the fund's commitment and the ledger's hold on the caps are released.
 */
export function objectionDecisionSteps(theCase: ExistingCase, decision: 'uphold' | 'withdraw', reason: string, by: string): SagaStep[] {
  if (decision === 'uphold') return [caseStep(theCase, { step: 'UpholdAward', command: { type: 'UpholdAward', data: { reason, upheldBy: by } } })];
  return [
    caseStep(theCase, { step: 'WithdrawAward', command: { type: 'WithdrawAward', data: { reason, withdrawnBy: by } } }),
    ...releaseAwardSteps(theCase, `withdrawn: ${reason}`),
  ];
}

@CommandHandler(DecidePublicityObjectionCommand)
export class DecidePublicityObjectionHandler implements ICommandHandler<DecidePublicityObjectionCommand, CommandAnswer> {
  constructor(private readonly sequence: CaseSequence) {}

  execute({ applicationId, decision, reason, ctx, expectedVersion }: DecidePublicityObjectionCommand): Promise<CommandAnswer> {
    return this.sequence.run(applicationId, 'decide-publicity-objection', ctx, expectedVersion, (theCase) =>
      objectionDecisionSteps(theCase, decision, reason, ctx.actor.user),
    );
  }
}
