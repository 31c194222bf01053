import { CommandContext } from '../shared/aggregate-store';
import { ApproveAwardRequest } from './approve-award.request';

export class ApproveAwardCommand {
  constructor(
    readonly applicationId: string,
    readonly request: ApproveAwardRequest,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
