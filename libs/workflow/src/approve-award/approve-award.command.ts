import { CommandContext } from '@cbec/platform';
import { ApproveAwardRequest } from './approve-award.request';

export class ApproveAwardCommand {
  constructor(
    readonly applicationId: string,
    readonly request: ApproveAwardRequest,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
