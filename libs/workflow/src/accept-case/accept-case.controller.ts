import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { AcceptCaseCommand } from './accept-case.command';
import { AcceptCaseAnswer } from './accept-case.handler';

@ApiTags('applications')
@Controller('applications')
export class AcceptCaseController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/acceptance')
  @HttpCode(201)
  @ApiCommand('Accept a case (lead unit officer): opens the countersign round for every cooperating unit', {
    callers: "an officer of the program's lead unit",
    ifMatch: true,
    refuses: { 404: 'no such application' },
  })
  accept(@Param('id') id: string, @IfMatch() ifMatch: number | undefined, @CommandCtx() ctx: CommandContext): Promise<AcceptCaseAnswer> {
    return this.commands.execute(new AcceptCaseCommand(id, ctx, ifMatch));
  }
}
