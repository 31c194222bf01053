import { Controller, Get, Headers, Param, Query, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { localeFromAcceptLanguage } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, ReadPositionRequest, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { CaseDetail, GetCase } from './get-case.query';
import { CaseDetailResponse } from './get-case.response';

@ApiTags('applications')
@Controller('applications')
export class GetCaseController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get(':id')
  @ApiRead(
    'One case',
    'Parties to the case and AUDIT: status, version (also as ETag, for If-Match), pending units with due dates, opinions with their authors, overdue reviews, the approved award with its computation trace, disbursement. Trace steps and `display` are rendered in Chinese, or in English with `Accept-Language: en`.',
    {
      type: CaseDetailResponse,
      callers: 'the parties to the case (its lead and cooperating units, COM, FIN, its own APPLICANT) and AUDIT',
      forbidden: 'the caller is not a party to the case',
      notFound: true,
    },
  )
  async get(
    @Param('id') id: string,
    @Query() request: ReadPositionRequest,
    @CurrentActor() actor: Actor,
    @Res({ passthrough: true }) response: unknown,
    @Headers('accept-language') acceptLanguage?: string,
  ): Promise<CaseDetail> {
    await waitForPosition(this.readModels, request.minPosition);
    const detail = await this.queries.execute(new GetCase(id, actor, localeFromAcceptLanguage(acceptLanguage)));
    this.adapterHost.httpAdapter.setHeader(response, 'ETag', `"${detail.version}"`);
    this.adapterHost.httpAdapter.setHeader(response, 'Vary', 'Accept-Language');
    return detail;
  }
}
