import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { beneficiaryDecider, beneficiaryStreamId } from '@cbec/domain';
import { AggregateStore } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { CommandAnswer } from '../shared/command-answer';
import { RecordExternalAwardCommand } from './record-external-award.command';

export interface RecordExternalAwardAnswer extends CommandAnswer {
  uscc: string;
}

/** 四（一）: P1 is not combinable with a municipal foreign-trade award; COM records such awards on the ledger. */
@CommandHandler(RecordExternalAwardCommand)
export class RecordExternalAwardHandler implements ICommandHandler<RecordExternalAwardCommand, RecordExternalAwardAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ uscc, request, ctx, expectedVersion }: RecordExternalAwardCommand): Promise<RecordExternalAwardAnswer> {
    const result = await this.aggregates.execute(
      beneficiaryStreamId(uscc),
      beneficiaryDecider,
      {
        type: 'RecordExternalAward',
        data: { uscc, year: request.year, ref: request.ref, amountCny: request.amountCny ?? null, recordedBy: ctx.actor.user },
      },
      ctx,
      { expectedVersion, guard: () => assertCanAct(ctx.actor, 'record-external-award') },
    );
    return { uscc, version: result.version, position: result.position };
  }
}
