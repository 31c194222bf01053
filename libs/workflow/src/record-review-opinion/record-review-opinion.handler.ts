import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, UnitCode } from '@cbec/domain';
import { AggregateStore } from '@cbec/platform';
import { CommandAnswer, caseGuard } from '../shared/command-answer';
import { RecordReviewOpinionCommand } from './record-review-opinion.command';

@CommandHandler(RecordReviewOpinionCommand)
export class RecordReviewOpinionHandler implements ICommandHandler<RecordReviewOpinionCommand, CommandAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  /** The opinion is the caller's unit's; the case decider checks that unit has a review pending. */
  async execute({ applicationId, request, ctx, expectedVersion }: RecordReviewOpinionCommand): Promise<CommandAnswer> {
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      {
        type: 'RecordReviewOpinion',
        data: { unit: ctx.actor.unit as UnitCode, verdict: request.verdict, comment: request.comment, author: ctx.actor.user },
      },
      ctx,
      { expectedVersion, guard: caseGuard(ctx.actor, 'record-review-opinion') },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}
