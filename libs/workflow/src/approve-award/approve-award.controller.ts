import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { ApprovalOutcome } from './approval.process';
import { ApproveAwardCommand } from './approve-award.command';
import { ApproveAwardRequest } from './approve-award.request';

class ApprovalAnswer extends CommandAnswer {
  @ApiProperty({ example: '100000.00' }) amountCny!: string;
  @ApiProperty({ example: '105000.00', description: 'what the rule computed from the imported customs figures, before caps (as `evaluate`)' })
  computedCny!: string;
  @ApiProperty({ example: '100000.00', description: 'after caps: the most the head may approve; approving less needs reasonIfLower' })
  approvableCny!: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'P2a-annual-cap' }) capApplied!: string | null;
  @ApiProperty() reservationId!: string;
  @ApiProperty() commitmentId!: string;
}

@ApiTags('applications')
@Controller('applications')
export class ApproveAwardController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/approval')
  @HttpCode(201)
  @ApiCommand('Approve the award (lead unit head, after every opinion is approve): reserves the caps and commits the fund', {
    callers: "the head of the program's lead unit",
    ifMatch: true,
    answer: ApprovalAnswer,
    refuses: { 404: 'no such application' },
  })
  approve(
    @Param('id') id: string,
    @Body() body: ApproveAwardRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<ApprovalOutcome> {
    return this.commands.execute(new ApproveAwardCommand(id, body, ctx, ifMatch));
  }
}
