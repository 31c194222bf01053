import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { ApprovalOutcome, ApprovalProcess } from './approval.process';
import { ApproveAwardCommand } from './approve-award.command';

@CommandHandler(ApproveAwardCommand)
export class ApproveAwardHandler implements ICommandHandler<ApproveAwardCommand, ApprovalOutcome> {
  constructor(private readonly approvals: ApprovalProcess) {}

  execute({ applicationId, request, ctx, expectedVersion }: ApproveAwardCommand): Promise<ApprovalOutcome> {
    return this.approvals.approve(applicationId, request, ctx, expectedVersion);
  }
}
