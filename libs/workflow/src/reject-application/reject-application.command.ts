import { CommandContext } from '@cbec/platform';

export class RejectApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly reason: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
