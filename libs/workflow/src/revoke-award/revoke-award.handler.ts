import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ExistingCase, getPolicy } from '@cbec/domain';
import { CommandContext, deterministicId } from '@cbec/platform';
import { recoveryDueDate, WorkingDayCalendar } from '../calendar';
import { caseStep, releaseAwardSteps } from '../saga/award-steps';
import { CaseSequence } from '../saga/case-sequence';
import type { SagaStep } from '../saga/saga';
import { CommandAnswer } from '../shared/command-answer';

export class RevokeAwardCommand {
  constructor(
    readonly applicationId: string,
    readonly reason: string,
    readonly evidenceRef: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

export const recoveryIdOf = (revocationCommandId: string): string => deterministicId(revocationCommandId, 'recovery');

/**
 * 骗取: the revocation is recorded on the case first. Unpaid, the fund's commitment and the ledger's hold
 * are released at once; paid, a recovery order for the whole amount is opened, and the caps and the fund
 * are released as the money returns (record-repayment).
 */
export function revocationSteps(
  theCase: ExistingCase,
  revocation: { reason: string; evidenceRef: string; revokedBy: string },
  recovery: { recoveryId: string; dueDate: string },
): SagaStep[] {
  const paid = theCase.status === 'disbursed';
  const revoke = caseStep(theCase, { step: 'RevokeAward', command: { type: 'RevokeAward', data: { ...revocation, ...(paid ? { recovery } : {}) } } });
  return paid ? [revoke] : [revoke, ...releaseAwardSteps(theCase, `revoked: ${revocation.reason}`)];
}

export interface RevocationAnswer extends CommandAnswer {
  /** The recovery order opened for a paid award (追回); null when nothing was paid. */
  recoveryId: string | null;
}

@CommandHandler(RevokeAwardCommand)
export class RevokeAwardHandler implements ICommandHandler<RevokeAwardCommand, RevocationAnswer> {
  constructor(
    private readonly sequence: CaseSequence,
    private readonly calendar: WorkingDayCalendar,
  ) {}

  async execute({ applicationId, reason, evidenceRef, ctx, expectedVersion }: RevokeAwardCommand): Promise<RevocationAnswer> {
    const recoveryId = recoveryIdOf(ctx.commandId);
    let recovers = false;
    const answer = await this.sequence.run(applicationId, 'revoke-award', ctx, expectedVersion, (theCase) => {
      const dueDate = recoveryDueDate(ctx.now, getPolicy(theCase.policyVersion).afterDecision.recoveryDueWorkingDays, this.calendar);
      const steps = revocationSteps(theCase, { reason, evidenceRef, revokedBy: ctx.actor.user }, { recoveryId, dueDate });
      // A repeat finds the case already revoked: it recovers when the first run did (a recovery step was planned then).
      recovers = theCase.status === 'disbursed' || theCase.recoveries.some((r) => r.recoveryId === recoveryId);
      return steps;
    });
    return { ...answer, recoveryId: recovers ? recoveryId : null };
  }
}
