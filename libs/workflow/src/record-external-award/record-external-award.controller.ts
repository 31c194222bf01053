import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch, usccPipe } from '@cbec/platform';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { RecordExternalAwardCommand } from './record-external-award.command';
import { RecordExternalAwardAnswer } from './record-external-award.handler';
import { RecordExternalAwardRequest } from './record-external-award.request';

/** An extension of the v1 contract (docs/api.md, "Commands"): the route by which COM records external awards. */
@ApiTags('beneficiaries')
@Controller('beneficiaries')
export class RecordExternalAwardController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':uscc/external-awards')
  @HttpCode(201)
  @ApiCommand('Record a municipal foreign-trade award (COM) — an extension of the v1 contract', {
    callers: 'a COM officer or head',
    ifMatch: true,
    description:
      'P1 (四（一）) is not combinable with a municipal foreign-trade award of the same year: once recorded here, a P1 approval for that beneficiary and year is refused with `no-double-benefit` unless the application waives the other award. If-Match applies to the beneficiary ledger stream.',
  })
  record(
    @Param('uscc', usccPipe) uscc: string,
    @Body() body: RecordExternalAwardRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<RecordExternalAwardAnswer> {
    return this.commands.execute(new RecordExternalAwardCommand(uscc, body, ctx, ifMatch));
  }
}
