import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { ReturnForCorrectionCommand } from './return-for-correction.command';
import { ReturnForCorrectionRequest } from './return-for-correction.request';

@ApiTags('applications')
@Controller('applications')
export class ReturnForCorrectionController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/return')
  @HttpCode(201)
  @ApiCommand('Return a case for correction (lead unit officer; before acceptance or after an objection)', {
    callers: "an officer of the program's lead unit",
    ifMatch: true,
    refuses: { 404: 'no such application' },
  })
  returnCase(
    @Param('id') id: string,
    @Body() body: ReturnForCorrectionRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new ReturnForCorrectionCommand(id, body.reason, ctx, ifMatch));
  }
}
