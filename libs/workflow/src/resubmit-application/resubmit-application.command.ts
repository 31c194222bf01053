import { CommandContext } from '@cbec/platform';
import { ResubmitApplicationRequest } from './resubmit-application.request';

export class ResubmitApplicationCommand {
  constructor(
    readonly applicationId: string,
    readonly request: ResubmitApplicationRequest,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
