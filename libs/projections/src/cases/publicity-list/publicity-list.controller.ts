import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiProduces, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { localeFromAcceptLanguage } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { publicityCsv, publicityList, publicityXlsx, PublicityEntry } from './publicity-list.query';
import { PublicityListRequest } from './publicity-list.request';

class PublicityEntryResponse implements PublicityEntry {
  @ApiProperty() applicationId!: string;
  @ApiProperty() uscc!: string;
  @ApiPropertyOptional({ nullable: true, type: String }) enterprise!: string | null;
  @ApiProperty({ example: 'P1' }) program!: string;
  @ApiProperty() programName!: string;
  @ApiProperty({ example: 2019 }) year!: number;
  @ApiProperty({ example: '50000.00' }) amountCny!: string;
  @ApiProperty({ example: '四（一）' }) clause!: string;
  @ApiProperty({ example: '2020-03-02' }) from!: string;
  @ApiProperty({ example: '2020-03-09' }) until!: string;
  @ApiProperty() status!: string;
}

class PublicityListResponse {
  @ApiProperty({ example: '2020-03-05' }) date!: string;
  @ApiProperty({ type: [PublicityEntryResponse] }) awards!: PublicityEntryResponse[];
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

@ApiTags('applications')
@Controller('publicity-list')
export class PublicityListController {
  constructor(private readonly readModels: ReadModels) {}

  @Get()
  @ApiRead(
    'Publicity list (公示)',
    'The approved awards whose publicity period covers `date`: enterprise, program, amount and clause, as JSON, CSV (cells formula-neutralised) or xlsx (`format`). Program names in Chinese, or English with `Accept-Language: en`.',
    { type: PublicityListResponse, callers: 'departments and AUDIT (a county unit: its own county)', forbidden: 'not a department or AUDIT' },
  )
  @ApiProduces('application/json', 'text/csv', XLSX)
  async list(
    @Query() request: PublicityListRequest,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<PublicityListResponse | string | Buffer> {
    await waitForPosition(this.readModels, request.minPosition);
    const awards = await publicityList(this.readModels.reader, request.date, actor, localeFromAcceptLanguage(acceptLanguage));
    if (request.format === 'csv') {
      void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="publicity-${request.date}.csv"`);
      return publicityCsv(awards);
    }
    if (request.format === 'xlsx') {
      void reply.header('content-type', XLSX).header('content-disposition', `attachment; filename="publicity-${request.date}.xlsx"`);
      return publicityXlsx(awards, request.date);
    }
    return { date: request.date, awards };
  }
}
