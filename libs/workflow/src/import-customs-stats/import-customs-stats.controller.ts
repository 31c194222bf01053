import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { ApiAcceptedResponse, ApiBearerAuth, ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@cbec/event-store';
import { CurrentActor, CommandContext, ApiDoes, ApiProblems, AUTH_PROBLEMS, MAX_CUSTOMS_ROWS, NotFound } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { CSV_MEDIA_TYPE, UnsupportedMediaType, XLSX_MEDIA_TYPE } from './customs-file';
import { CUSTOMS_CSV_HEADER } from './customs-rows';
import { CustomsImports, CustomsImportStatus } from './customs-imports';
import { ImportCustomsStatsAnswer } from './customs-import.job';
import { ImportCustomsStatsCommand, StartCustomsImportCommand } from './import-customs-stats.command';

const FILE_BODY = {
  schema: {
    type: 'string',
    format: 'binary',
    example: `${CUSTOMS_CSV_HEADER.join(',')}\n2019,91341500MA2010017C,示例企业,60000.00,0.00,150000.00,1100000.00,\n`,
    description:
      'CSV (UTF-8 with or without BOM, or GB18030/GBK by the charset parameter or detected) or an .xlsx workbook (first sheet); English or Chinese headers (docs/imports.md)',
  },
} as const;

const STATUS_EXAMPLE = {
  id: '5b0c…',
  state: 'checking',
  rowsChecked: 120000,
  rowsStored: 0,
  bytes: 17000000,
  startedAt: '2026-12-06T10:00:00.000Z',
  finishedAt: null,
  answer: null,
  problem: null,
};

function fileOf(body: unknown, contentType: string | undefined): { content: Buffer; contentType: string } {
  if (!contentType || !Buffer.isBuffer(body)) {
    throw new UnsupportedMediaType(`send the file as Content-Type: ${CSV_MEDIA_TYPE} or ${XLSX_MEDIA_TYPE} (got ${contentType ?? 'none'})`);
  }
  return { content: body, contentType };
}

@ApiTags('customs-statistics')
@Controller('customs-statistics')
export class ImportCustomsStatsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly imports: CustomsImports,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiConsumes(CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  @ApiBody(FILE_BODY)
  @ApiCommand('Import a batch of customs statistics (CUS); any bad row -> 422 listing every bad row, nothing stored', {
    callers: 'a CUS officer or head',
    description:
      'Answers when the file is stored or refused; other requests are answered meanwhile. POST /customs-statistics/imports answers at once (202). Formats, headers, encodings, refusals: docs/imports.md.',
    refuses: {
      413: `the file is over 50 MB (payload-too-large) or over ${MAX_CUSTOMS_ROWS} rows (too-many-customs-rows, MAX_CUSTOMS_ROWS; docs/limits.md)`,
      415: 'neither text/csv nor .xlsx, or an unknown charset',
    },
  })
  import(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<ImportCustomsStatsAnswer> {
    const file = fileOf(body, contentType);
    return this.commands.execute(new ImportCustomsStatsCommand(file.content, ctx, file.contentType));
  }

  @Post('imports')
  @HttpCode(202)
  @ApiConsumes(CSV_MEDIA_TYPE, XLSX_MEDIA_TYPE)
  @ApiBody(FILE_BODY)
  @ApiDoes('Start the same import and answer at once (202, Location: its progress resource)', {
    callers: 'a CUS officer or head',
    description:
      'The outcome (the 201 body of POST /customs-statistics, or the 422 listing every bad row) is read from GET /customs-statistics/imports/{id}. A bad media type or charset, or a caller other than CUS, is refused at once.',
  })
  @ApiBearerAuth()
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a repeat returns the first answer and starts nothing' })
  @ApiProblems({
    ...AUTH_PROBLEMS,
    403: 'not CUS',
    413: `the file is over 50 MB (payload-too-large); a file over ${MAX_CUSTOMS_ROWS} rows (MAX_CUSTOMS_ROWS) is refused with too-many-customs-rows in its progress (docs/limits.md)`,
    415: 'neither text/csv nor .xlsx, or an unknown charset',
  })
  @ApiAcceptedResponse({ description: 'the import started: its progress (Location names it)', schema: { type: 'object', example: STATUS_EXAMPLE } })
  async start(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @CommandCtx() ctx: CommandContext,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<CustomsImportStatus> {
    const file = fileOf(body, contentType);
    const status: CustomsImportStatus = await this.commands.execute(new StartCustomsImportCommand(file.content, ctx, file.contentType));
    this.adapterHost.httpAdapter.setHeader(response, 'Location', `/api/v1/customs-statistics/imports/${status.id}`);
    return status;
  }

  @Get('imports/:id')
  @ApiDoes('An import in flight or recently finished: rows checked, rows stored, state, and its answer or problem', {
    callers: 'a CUS officer or head',
    description:
      'state: checking, deciding, storing, then done (answer), refused (problem, e.g. the 422 listing every bad row) or failed. Kept an hour after it ends, in the process that ran it.',
  })
  @ApiBearerAuth()
  @ApiOkResponse({ schema: { type: 'object', example: STATUS_EXAMPLE } })
  @ApiProblems({ ...AUTH_PROBLEMS, 403: 'not CUS', 404: 'no such import in this process' })
  progress(@Param('id') id: string, @CurrentActor() actor: Actor): CustomsImportStatus {
    assertCanAct(actor, 'import-customs-stats');
    const status = this.imports.status(id);
    if (!status) throw new NotFound(`no customs import ${id} in this server process (finished imports are kept an hour)`);
    return status;
  }
}
