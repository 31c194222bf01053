import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { RecordPublicityObjectionCommand } from './record-publicity-objection.handler';
import { RecordPublicityObjectionRequest } from './record-publicity-objection.request';

@ApiTags('applications')
@Controller('applications')
export class RecordPublicityObjectionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/publicity-objections')
  @HttpCode(201)
  @ApiCommand('Record an objection (异议) raised during the publicity (公示) of an approved award (COM); the case goes back to the lead unit', {
    callers: 'a COM officer or head',
    ifMatch: true,
    refuses: { 404: 'no such application', 422: 'not-in-publicity: the publicity is over, or the award had none' },
  })
  object(
    @Param('id') id: string,
    @Body() body: RecordPublicityObjectionRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new RecordPublicityObjectionCommand(id, body.source, body.detail, ctx, ifMatch));
  }
}
