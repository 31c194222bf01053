import { CommandContext } from '@cbec/platform';

export class AllocateFundBudgetCommand {
  constructor(
    readonly year: number,
    readonly amountCny: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
