import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch } from '@cbec/platform';
import { ApiCommand, CommandAnswer } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { RevocationAnswer, RevokeAwardCommand } from './revoke-award.handler';
import { RevokeAwardRequest } from './revoke-award.request';

class RevocationAnswerResponse extends CommandAnswer {
  @ApiPropertyOptional({ nullable: true, type: String, description: 'the recovery order (追回) opened for a paid award; null when nothing was paid' })
  recoveryId!: string | null;
}

@ApiTags('applications')
@Controller('applications')
export class RevokeAwardController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':id/revocation')
  @HttpCode(201)
  @ApiCommand('Revoke an award obtained by fraud (骗取): unpaid, it is released; paid, a recovery order (追回) for the whole amount is opened', {
    callers: 'the FIN head',
    ifMatch: true,
    answer: RevocationAnswerResponse,
    refuses: { 404: 'no such application' },
  })
  revoke(
    @Param('id') id: string,
    @Body() body: RevokeAwardRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RevocationAnswer> {
    return this.commands.execute(new RevokeAwardCommand(id, body.reason, body.evidenceRef, ctx, ifMatch));
  }
}
