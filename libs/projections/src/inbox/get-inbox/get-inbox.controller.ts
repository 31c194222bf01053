import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { GetInbox, Inbox } from './get-inbox.query';
import { GetInboxRequest } from './get-inbox.request';
import { InboxResponse } from './get-inbox.response';

@ApiTags('inbox')
@Controller('inbox')
export class GetInboxController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
  ) {}

  @Get()
  @ApiRead(
    "What awaits the caller's unit",
    'Lead unit: acceptances and decisions; cooperating units: pending reviews with due dates; COM (leading-group office): overdue reviews of every unit; FIN: disbursements; an applicant: its returned cases. Due date first (earliest first), then oldest first.',
    {
      type: InboxResponse,
      callers: "any authenticated caller, for its own unit's inbox; AUDIT for any unit's (?unit=)",
      forbidden: "?unit= names another unit's inbox and the caller is not AUDIT",
    },
  )
  async inbox(@Query() request: GetInboxRequest, @CurrentActor() actor: Actor): Promise<Inbox> {
    await waitForPosition(this.readModels, request.minPosition);
    return this.queries.execute(
      new GetInbox(actor, request.unit, request.limit, { offset: request.offset, program: request.program, year: request.year, task: request.task }),
    );
  }
}
