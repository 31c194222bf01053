import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead } from '../../http/read-request';
import { CaseHistory, GetCaseHistory } from './get-case-history.query';
import { CaseHistoryResponse } from './get-case-history.response';

@ApiTags('applications')
@Controller('applications')
export class GetCaseHistoryController {
  constructor(private readonly queries: QueryBus) {}

  @Get(':id/history')
  @ApiRead(
    "A case's history",
    'Parties to the case and AUDIT: every event of the case stream, from the log itself, with actor (user, unit, role), time, command id, correlation and hash chain.',
    {
      type: CaseHistoryResponse,
      callers: 'the parties to the case (its lead and cooperating units, COM, FIN, its own APPLICANT) and AUDIT',
      forbidden: 'the caller is not a party to the case',
      notFound: true,
    },
  )
  history(@Param('id') id: string, @CurrentActor() actor: Actor): Promise<CaseHistory> {
    return this.queries.execute(new GetCaseHistory(id, actor));
  }
}
