import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { DecidePublicityObjectionCommand } from './decide-publicity-objection.handler';
import { DecidePublicityObjectionRequest } from './decide-publicity-objection.request';

@ApiTags('applications')
@Controller('applications')
export class DecidePublicityObjectionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/objection-decision')
  @HttpCode(201)
  @ApiCommand('Answer an objection raised during the publicity: uphold the award, or withdraw it (released from the caps and the fund)', {
    callers: "the head of the program's lead unit",
    ifMatch: true,
    refuses: { 404: 'no such application' },
  })
  decide(
    @Param('id') id: string,
    @Body() body: DecidePublicityObjectionRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new DecidePublicityObjectionCommand(id, body.decision, body.reason, ctx, ifMatch));
  }
}
