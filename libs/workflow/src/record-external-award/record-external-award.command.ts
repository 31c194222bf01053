import { CommandContext } from '@cbec/platform';
import { RecordExternalAwardRequest } from './record-external-award.request';

export class RecordExternalAwardCommand {
  constructor(
    readonly uscc: string,
    readonly request: RecordExternalAwardRequest,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
