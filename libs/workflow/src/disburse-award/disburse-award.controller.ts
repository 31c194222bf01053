import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { DisburseAwardCommand } from './disburse-award.command';
import { DisburseAwardAnswer } from './disburse-award.handler';
import { DisburseAwardRequest } from './disburse-award.request';

@ApiTags('applications')
@Controller('applications')
export class DisburseAwardController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/disbursement')
  @HttpCode(201)
  @ApiCommand('Record payment of an approved award from the special fund (FIN officer)', {
    callers: 'a FIN officer',
    ifMatch: true,
    refuses: { 404: 'no such application' },
  })
  disburse(
    @Param('id') id: string,
    @Body() body: DisburseAwardRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<DisburseAwardAnswer> {
    return this.commands.execute(new DisburseAwardCommand(id, body.paymentRef, ctx, ifMatch));
  }
}
