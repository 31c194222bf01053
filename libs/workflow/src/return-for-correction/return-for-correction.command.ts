import { CommandContext } from '@cbec/platform';

export class ReturnForCorrectionCommand {
  constructor(
    readonly applicationId: string,
    readonly reason: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
