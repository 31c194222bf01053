import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { RecordRepaymentCommand } from './record-repayment.handler';
import { RecordRepaymentRequest } from './record-repayment.request';

@ApiTags('applications')
@Controller('applications')
export class RecordRepaymentController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/repayments')
  @HttpCode(201)
  @ApiCommand('Record money returned on a recovery order (追回); the fund and the caps follow it, the last fen settles the order', {
    callers: 'a FIN officer',
    ifMatch: true,
    refuses: { 404: 'no such application, or no such recovery order (recovery-not-found)', 422: 'repayment-above-outstanding, or refused by the rules' },
  })
  repay(
    @Param('id') id: string,
    @Body() body: RecordRepaymentRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new RecordRepaymentCommand(id, body.recoveryId, body.repaymentRef, body.amountCny, ctx, ifMatch));
  }
}
