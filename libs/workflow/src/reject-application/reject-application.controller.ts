import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { RejectApplicationCommand } from './reject-application.command';
import { RejectApplicationRequest } from './reject-application.request';

@ApiTags('applications')
@Controller('applications')
export class RejectApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/rejection')
  @HttpCode(201)
  @ApiCommand('Reject a case (lead unit, officer or head)', {
    callers: "an officer or the head of the program's lead unit",
    ifMatch: true,
    refuses: { 404: 'no such application' },
  })
  reject(
    @Param('id') id: string,
    @Body() body: RejectApplicationRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new RejectApplicationCommand(id, body.reason, ctx, ifMatch));
  }
}
