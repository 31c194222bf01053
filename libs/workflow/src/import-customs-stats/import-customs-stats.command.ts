import { CommandContext } from '@cbec/platform';

export class ImportCustomsStatsCommand {
  constructor(
    /** The file as sent (bytes), or its text. */
    readonly content: Buffer | string,
    readonly ctx: CommandContext,
    /** `text/csv` (optionally with `charset`) or the .xlsx media type. */
    readonly contentType: string = 'text/csv',
  ) {}
}

/** The same import, answered at once with its progress resource (`Prefer: respond-async`: 202). */
export class StartCustomsImportCommand extends ImportCustomsStatsCommand {}
