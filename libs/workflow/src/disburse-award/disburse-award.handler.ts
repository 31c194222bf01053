import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, caseTransitionRefusal, fundDecider, fundStreamId, publicityRefusal } from '@cbec/domain';
import { chinaDate } from '../calendar';
import { AggregateStore, deterministicId, VersionConflict } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { CommandAnswer, requireCase } from '../shared/command-answer';
import { DisburseAwardCommand } from './disburse-award.command';

export interface DisburseAwardAnswer extends CommandAnswer {
  amountCny: string;
}

/**
 * 五（二）: payment from the special fund. The fund records the payment against the approval's
 * commitment first (it guards disbursed <= committed), then the case; both steps have ids derived from
 * the command id, so a retry after a crash between them completes the case without paying twice.
 */
@CommandHandler(DisburseAwardCommand)
export class DisburseAwardHandler implements ICommandHandler<DisburseAwardCommand, DisburseAwardAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ applicationId, paymentRef, ctx, expectedVersion }: DisburseAwardCommand): Promise<DisburseAwardAnswer> {
    const loaded = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
    const theCase = requireCase(loaded.state);
    assertCanAct(ctx.actor, 'disburse-award', theCase, theCase.beneficiary.uscc);
    if (theCase.status === 'disbursed' && theCase.disbursement?.paymentRef === paymentRef) {
      return { applicationId, version: loaded.version, position: loaded.position, amountCny: theCase.disbursement.amountCny };
    }
    if (expectedVersion !== undefined && expectedVersion !== loaded.version) {
      throw new VersionConflict(caseStreamId(applicationId), expectedVersion, loaded.version);
    }
    const refusal = caseTransitionRefusal(theCase.status, 'DisburseAward');
    if (refusal) throw refusal;
    const { amountCny, commitmentId } = theCase.approval!;
    const asOfDate = chinaDate(ctx.now);
    // 公示 first (the case decider's own check, asked before the fund moves): nothing is paid during it.
    const notOver = publicityRefusal(theCase, asOfDate);
    if (notOver) throw notOver;
    await this.aggregates.execute(
      fundStreamId(theCase.year),
      fundDecider,
      { type: 'RecordPayment', data: { year: theCase.year, commitmentId, amountCny, paymentRef } },
      { ...ctx, commandId: deterministicId(ctx.commandId, 'RecordPayment') },
    );
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'DisburseAward', data: { paymentRef, amountCny, disbursedBy: ctx.actor.user, asOfDate } },
      ctx,
    );
    return { applicationId, version: result.version, position: result.position, amountCny };
  }
}
