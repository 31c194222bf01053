import { ApiProperty } from '@nestjs/swagger';
import { InboxItemResponse } from '../get-inbox/get-inbox.response';
import type { ReviewBoard } from './get-review-board.query';

export class ReviewBoardResponse implements ReviewBoard {
  @ApiProperty({ type: [InboxItemResponse], description: 'pending reviews; `reviewUnit` is the unit that owes each' }) items!: InboxItemResponse[];
  @ApiProperty({ description: 'every matching review, before paging' }) total!: number;
}
