import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import type { Actor } from '@cbec/event-store';
import { CurrentActor } from '@cbec/platform';
import { ApiRead, waitForPosition } from '../../http/read-request';
import { ReadModels } from '../../read-models';
import { GetReviewBoard, ReviewBoard } from './get-review-board.query';
import { GetReviewBoardRequest } from './get-review-board.request';
import { ReviewBoardResponse } from './get-review-board.response';

@ApiTags('inbox')
@Controller('inbox')
export class GetReviewBoardController {
  constructor(
    private readonly queries: QueryBus,
    private readonly readModels: ReadModels,
  ) {}

  @Get('reviews')
  @ApiRead(
    "Every unit's pending countersign reviews (督办's deadline board)",
    'Each pending review of every cooperating unit with its due date and overdue flag, due date first, then oldest first; filtered by unit, program, year and overdue, paged with `total`.',
    {
      type: ReviewBoardResponse,
      callers: 'the leading-group office (COM, LGO) and AUDIT',
      forbidden: 'the caller is neither the leading-group office nor AUDIT',
    },
  )
  async board(@Query() request: GetReviewBoardRequest, @CurrentActor() actor: Actor): Promise<ReviewBoard> {
    await waitForPosition(this.readModels, request.minPosition);
    return this.queries.execute(
      new GetReviewBoard(actor, {
        unit: request.unit,
        program: request.program,
        year: request.year,
        overdueOnly: request.overdue,
        limit: request.limit,
        offset: request.offset,
      }),
    );
  }
}
