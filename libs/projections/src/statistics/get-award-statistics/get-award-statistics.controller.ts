import { Controller, Get, Query, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { AwardStatistics, awardStatisticsCsv, GetAwardStatistics } from './get-award-statistics.query';
import { AwardStatisticsResponse, GetAwardStatisticsRequest } from './get-award-statistics.request';

@ApiTags('statistics')
@Controller('statistics')
export class GetAwardStatisticsController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get('awards')
  @ApiRead(
    'Approved awards by program, county and year (统计)',
    "Count, approved and paid amounts of the approved awards (approved or paid) grouped by award year, program and the county of the enterprise's registration (its USCC's division code), over the cases the caller may read (a county unit: its own county's). `format=csv` answers the same rows as a CSV file (UTF-8 with BOM, Chinese headers).",
    { type: AwardStatisticsResponse, callers: 'the departments and AUDIT', forbidden: 'an APPLICANT or ADMIN caller' },
  )
  @ApiProduces('application/json', 'text/csv')
  async awards(
    @Query() request: GetAwardStatisticsRequest,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: unknown,
  ): Promise<AwardStatistics | string> {
    await waitForPosition(this.readModels, request.minPosition);
    const statistics: AwardStatistics = await this.queries.execute(new GetAwardStatistics(actor, { program: request.program, year: request.year }));
    if (request.format !== 'csv') return statistics;
    const http = this.adapterHost.httpAdapter;
    http.setHeader(response, 'Content-Type', 'text/csv; charset=utf-8');
    http.setHeader(response, 'Content-Disposition', `attachment; filename="award-statistics${request.year ? `-${request.year}` : ''}.csv"`);
    return awardStatisticsCsv(statistics);
  }
}
