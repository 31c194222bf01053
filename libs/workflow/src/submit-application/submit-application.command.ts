import { CommandContext } from '@cbec/platform';
import { SubmitApplicationRequest } from './submit-application.request';

export class SubmitApplicationCommand {
  constructor(
    readonly request: SubmitApplicationRequest,
    readonly ctx: CommandContext,
  ) {}
}
