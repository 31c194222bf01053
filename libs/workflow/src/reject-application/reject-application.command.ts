import { CommandContext } from '../shared/aggregate-store';

export class RejectApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly reason: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
