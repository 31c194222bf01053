import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { RecordReviewOpinionCommand } from './record-review-opinion.command';
import { RecordReviewOpinionRequest } from './record-review-opinion.request';

@ApiTags('applications')
@Controller('applications')
export class RecordReviewOpinionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/opinions')
  @HttpCode(201)
  @ApiCommand("Record the caller's unit's review opinion (a cooperating unit officer with a pending review)", {
    callers: "an officer of one of the program's cooperating units whose review the current round awaits",
    ifMatch: true,
    refuses: { 404: 'no such application' },
  })
  record(
    @Param('id') id: string,
    @Body() body: RecordReviewOpinionRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new RecordReviewOpinionCommand(id, body, ctx, ifMatch));
  }
}
