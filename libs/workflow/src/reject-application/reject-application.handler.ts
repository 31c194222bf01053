import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId } from '@cbec/domain';
import { AggregateStore } from '@cbec/platform';
import { CommandAnswer, caseGuard } from '../shared/command-answer';
import { RejectApplicationCommand } from './reject-application.command';

@CommandHandler(RejectApplicationCommand)
export class RejectApplicationHandler implements ICommandHandler<RejectApplicationCommand, CommandAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ applicationId, reason, ctx, expectedVersion }: RejectApplicationCommand): Promise<CommandAnswer> {
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'RejectApplication', data: { reason, rejectedBy: ctx.actor.user } },
      ctx,
      { expectedVersion, guard: caseGuard(ctx.actor, 'reject-application') },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}
