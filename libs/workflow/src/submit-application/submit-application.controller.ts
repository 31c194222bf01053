import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { SubmitApplicationCommand } from './submit-application.command';
import { SubmitApplicationRequest } from './submit-application.request';

@ApiTags('applications')
@Controller('applications')
export class SubmitApplicationController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiCommand("Open a case (APPLICANT for its own USCC, or a COM officer); routed to the program's lead unit", {
    callers: "an APPLICANT for the USCC in its token, or a COM officer on an applicant's behalf",
  })
  submit(@Body() request: SubmitApplicationRequest, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    return this.commands.execute(new SubmitApplicationCommand(request, ctx));
  }
}
