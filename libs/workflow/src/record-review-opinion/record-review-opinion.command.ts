import { CommandContext } from '@cbec/platform';
import { RecordReviewOpinionRequest } from './record-review-opinion.request';

export class RecordReviewOpinionCommand {
  constructor(
    readonly applicationId: string,
    readonly request: RecordReviewOpinionRequest,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}
