import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { fundDecider, fundStreamId } from '@cbec/domain';
import { AggregateStore } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { CommandAnswer } from '../shared/command-answer';
import { AllocateFundBudgetCommand } from './allocate-fund-budget.command';

export interface AllocateFundBudgetAnswer extends CommandAnswer {
  year: number;
}

@CommandHandler(AllocateFundBudgetCommand)
export class AllocateFundBudgetHandler implements ICommandHandler<AllocateFundBudgetCommand, AllocateFundBudgetAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ year, amountCny, ctx, expectedVersion }: AllocateFundBudgetCommand): Promise<AllocateFundBudgetAnswer> {
    const result = await this.aggregates.execute(fundStreamId(year), fundDecider, { type: 'AllocateFundBudget', data: { year, amountCny } }, ctx, {
      expectedVersion,
      guard: () => assertCanAct(ctx.actor, 'allocate-fund-budget'),
    });
    return { year, version: result.version, position: result.position };
  }
}
