import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { ApproveSupplementCommand, DisburseSupplementCommand, RecordSupplementOpinionCommand, SupplementAnswer } from './supplement.handlers';
import { SupplementDisbursementRequest, SupplementOpinionRequest } from './supplement.request';

class SupplementAnswerResponse extends CommandAnswer {
  @ApiProperty() supplementId!: string;
  @ApiProperty({ example: '2000.00', description: 'the supplementary amount (the difference only)' }) amountCny!: string;
}

/** 补发: the supplementary award a recheck opened, through the normal countersign and decision, then its payment. */
@ApiTags('applications')
@Controller('applications')
export class SupplementController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/supplement/opinions')
  @HttpCode(201)
  @ApiCommand('补发: a cooperating unit’s opinion on the supplementary award', {
    callers: 'an officer of a cooperating unit whose opinion is awaited',
    ifMatch: true,
    refuses: { 404: 'no such application', 409: 'no-supplement-pending, review-not-pending, or a version conflict' },
  })
  opinion(
    @Param('id') id: string,
    @Body() body: SupplementOpinionRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new RecordSupplementOpinionCommand(id, body.verdict, body.comment, ctx, ifMatch));
  }

  @Post(':id/supplement/approval')
  @HttpCode(201)
  @ApiCommand('补发: the lead unit head approves the supplementary award; the difference only is reserved against the caps and committed on the fund', {
    callers: "the head of the program's lead unit",
    ifMatch: true,
    answer: SupplementAnswerResponse,
    refuses: {
      404: 'no such application',
      409: 'no-supplement-pending, or a version conflict',
      422: 'supplement-countersign-pending, supplement-objected, cap-exceeded (the caps leave no room for it), fund-over-committed',
    },
  })
  approve(@Param('id') id: string, @IfMatch() ifMatch: number | undefined, @CommandCtx() ctx: CommandContext): Promise<SupplementAnswer> {
    return this.commands.execute(new ApproveSupplementCommand(id, ctx, ifMatch));
  }

  @Post(':id/supplement/disbursement')
  @HttpCode(201)
  @ApiCommand('补发: pays the approved supplementary award from its own fund commitment', {
    callers: 'a FIN officer',
    ifMatch: true,
    refuses: { 404: 'no such application', 409: 'no-supplement-pending (none approved and unpaid), or a version conflict' },
  })
  disburse(
    @Param('id') id: string,
    @Body() body: SupplementDisbursementRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new DisburseSupplementCommand(id, body.paymentRef, ctx, ifMatch));
  }
}
