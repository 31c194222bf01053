import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId } from '@cbec/domain';
import { AggregateStore, CommandContext } from '@cbec/platform';
import { chinaDate } from '../calendar';
import { CommandAnswer, caseGuard } from '../shared/command-answer';

export class RecordPublicityObjectionCommand {
  constructor(
    readonly applicationId: string,
    readonly source: string,
    readonly detail: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

/** 异议 during the 公示: recorded by COM with its source; the case goes back to the lead unit. */
@CommandHandler(RecordPublicityObjectionCommand)
export class RecordPublicityObjectionHandler implements ICommandHandler<RecordPublicityObjectionCommand, CommandAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ applicationId, source, detail, ctx, expectedVersion }: RecordPublicityObjectionCommand): Promise<CommandAnswer> {
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'RecordPublicityObjection', data: { source, detail, asOfDate: chinaDate(ctx.now), recordedBy: ctx.actor.user } },
      ctx,
      { expectedVersion, guard: caseGuard(ctx.actor, 'record-publicity-objection') },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}
