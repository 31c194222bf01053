import { CommandContext } from '@cbec/platform';

export class ImportBeneficiaryRegisterCommand {
  constructor(
    readonly content: Buffer,
    readonly ctx: CommandContext,
  ) {}
}
