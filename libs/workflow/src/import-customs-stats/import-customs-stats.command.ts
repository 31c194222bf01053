import { CommandContext } from '../shared/aggregate-store';

export class ImportCustomsStatsCommand {
  constructor(
    readonly csv: string,
    readonly ctx: CommandContext,
  ) {}
}
