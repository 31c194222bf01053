import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { requireYear } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, ReadPositionRequest, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { FundStatus, GetFundStatus } from './get-fund-status.query';
import { FundStatusResponse } from './get-fund-status.response';

@ApiTags('funds')
@Controller('funds')
export class GetFundStatusController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
  ) {}

  @Get(':year')
  @ApiRead(
    'The special fund of a year',
    'Departments and AUDIT (五（二）): appropriation, committed (paid included), disbursed, available (appropriation - committed), outstanding.',
    { type: FundStatusResponse, callers: 'the departments (FIN, COM, CUS, PBC, CTY-*) and AUDIT', forbidden: 'an APPLICANT does not read the fund' },
  )
  async status(@Param('year') year: string, @Query() request: ReadPositionRequest, @CurrentActor() actor: Actor): Promise<FundStatus> {
    const y = requireYear(/^\d{4}$/.test(year) ? Number(year) : year, 'year');
    await waitForPosition(this.readModels, request.minPosition);
    return this.queries.execute(new GetFundStatus(y, actor));
  }
}
