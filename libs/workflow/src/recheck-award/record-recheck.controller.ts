import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { RecordRecheckCommand } from './record-recheck.handler';

@ApiTags('applications')
@Controller('applications')
export class RecordRecheckController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/recheck')
  @HttpCode(201)
  @ApiCommand(
    'Record the recheck (复核) of an award a customs revision reached: unchanged, lower (a paid award: recovery of the difference) or higher (补发 due)',
    {
      callers: "the head of the program's lead unit",
      ifMatch: true,
      refuses: {
        404: 'no such application',
        409: 'no-recheck-pending, a version conflict, or not allowed in the current status',
        422: 'recheck-lower-before-payment: lower and not yet paid, revoke it instead',
      },
    },
  )
  recheck(@Param('id') id: string, @IfMatch() ifMatch: number | undefined, @CommandCtx() ctx: CommandContext): Promise<CommandAnswer> {
    return this.commands.execute(new RecordRecheckCommand(id, ctx, ifMatch));
  }
}
