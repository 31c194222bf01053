import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { ConfirmDeclarationsCommand } from './confirm-declarations.handler';
import { ConfirmDeclarationsRequest } from './confirm-declarations.request';

@ApiTags('applications')
@Controller('applications')
export class ConfirmDeclarationsController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/declarations')
  @HttpCode(201)
  @ApiCommand('免申即享: the enterprise confirms the declarations its case (opened by COM) needs; the lead unit may then accept it', {
    callers: 'the enterprise itself (APPLICANT, its USCC in the token)',
    ifMatch: true,
    refuses: {
      400: 'a declaration missing or malformed (named), as for a submission',
      404: 'no such application',
      409: 'no-declarations-pending (not a 免申 case, or confirmed already), or a version conflict',
    },
  })
  confirm(
    @Param('id') id: string,
    @Body() body: ConfirmDeclarationsRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<CommandAnswer> {
    return this.commands.execute(new ConfirmDeclarationsCommand(id, body.declarations, ctx, ifMatch));
  }
}
