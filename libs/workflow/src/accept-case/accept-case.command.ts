import { CommandContext } from '@cbec/platform';

export class AcceptCaseCommand {
  constructor(
    readonly applicationId: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
