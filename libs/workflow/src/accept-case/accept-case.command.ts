import { CommandContext } from '../shared/aggregate-store';

export class AcceptCaseCommand {
  constructor(
    readonly applicationId: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
