import { Body, Controller, Headers, HttpCode, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiConsumes, ApiTags } from '@nestjs/swagger';
import { CommandContext } from '../shared/aggregate-store';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { WorkflowError } from '../shared/errors';
import { CUSTOMS_CSV_HEADER } from './customs-csv';
import { ImportCustomsStatsCommand } from './import-customs-stats.command';
import { ImportCustomsStatsAnswer } from './import-customs-stats.handler';

class UnsupportedMediaType extends WorkflowError {
  readonly code = 'unsupported-media-type';
  readonly httpStatus = 415;
}

@ApiTags('customs-statistics')
@Controller('customs-statistics')
export class ImportCustomsStatsController {
  constructor(private readonly commands: CommandBus) {}

  @Post()
  @HttpCode(201)
  @ApiConsumes('text/csv')
  @ApiBody({ schema: { type: 'string', example: `${CUSTOMS_CSV_HEADER.join(',')}\n2019,91341500MA2010017C,示例企业,60000.00,0.00,150000.00,1100000.00,\n` } })
  @ApiCommand('Import a batch of customs statistics (CUS); any bad row -> 422 listing every bad row, nothing stored', {
    callers: 'a CUS officer or head',
  })
  import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<ImportCustomsStatsAnswer> {
    if (!contentType || !/^text\/csv\b/i.test(contentType) || typeof body !== 'string') {
      throw new UnsupportedMediaType(`send the file as Content-Type: text/csv (got ${contentType ?? 'none'})`);
    }
    return this.commands.execute(new ImportCustomsStatsCommand(body, ctx));
  }
}
