import { CommandContext } from '@cbec/platform';

export class DisburseAwardCommand {
  constructor(
    readonly applicationId: string,
    readonly paymentRef: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
