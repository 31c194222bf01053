import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { ResubmitApplicationCommand } from './resubmit-application.command';
import { ResubmitApplicationRequest } from './resubmit-application.request';

@ApiTags('applications')
@Controller('applications')
export class ResubmitApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/resubmission')
  @HttpCode(201)
  @ApiCommand('Resubmit a returned case with corrected claims (its own applicant, or a COM officer)', {
    callers: "the case's own APPLICANT (its USCC), or a COM officer",
    ifMatch: true,
    refuses: { 404: 'no such application' },
  })
  resubmit(
    @Param('id') id: string,
    @Body() body: ResubmitApplicationRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new ResubmitApplicationCommand(id, body, ctx, ifMatch));
  }
}
