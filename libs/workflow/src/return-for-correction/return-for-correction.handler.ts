import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId } from '@cbec/domain';
import { AggregateStore } from '@cbec/platform';
import { CommandAnswer, caseGuard } from '../shared/command-answer';
import { ReturnForCorrectionCommand } from './return-for-correction.command';

@CommandHandler(ReturnForCorrectionCommand)
export class ReturnForCorrectionHandler implements ICommandHandler<ReturnForCorrectionCommand, CommandAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ applicationId, reason, ctx, expectedVersion }: ReturnForCorrectionCommand): Promise<CommandAnswer> {
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'ReturnForCorrection', data: { reason, returnedBy: ctx.actor.user } },
      ctx,
      { expectedVersion, guard: caseGuard(ctx.actor, 'return-for-correction') },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}
