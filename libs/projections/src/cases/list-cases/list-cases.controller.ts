import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { parseProgramId } from '@cbec/domain';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { CaseList, ListCases } from './list-cases.query';
import { ListCasesRequest } from './list-cases.request';
import { CaseListResponse } from './list-cases.response';

@ApiTags('applications')
@Controller('applications')
export class ListCasesController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @ApiRead(
    'Case list',
    'The cases the caller may read (parties and AUDIT; an applicant sees its own USCC only), newest submission first, with status, pending units and approved amount.',
    { type: CaseListResponse, callers: 'any authenticated caller; the list holds only the cases it may read' },
  )
  async list(@Query() request: ListCasesRequest, @CurrentActor() actor: Actor): Promise<CaseList> {
    await waitForPosition(this.readModels, request.minPosition);
    const { status, year, uscc, unit, limit, offset } = request;
    const program = request.program === undefined ? undefined : parseProgramId(request.program, 'program');
    return this.queries.execute(new ListCases({ status, program, year, uscc, unit, limit, offset }, actor));
  }
}
