import { ApiProperty } from '@nestjs/swagger';
import type { InboxTask } from '../inbox.projection';
import type { Inbox, InboxItem } from './get-inbox.query';

export class InboxItemResponse implements InboxItem {
  @ApiProperty() applicationId!: string;
  @ApiProperty({ enum: ['accept', 'review', 'decide', 'disburse', 'resubmit', 'overdue-review', 'recover', 'confirm'] }) task!: InboxTask;
  @ApiProperty({ nullable: true, type: String, description: 'for overdue-review: the unit whose review is late' }) reviewUnit!: string | null;
  @ApiProperty() round!: number;
  @ApiProperty({ nullable: true, type: String }) dueDate!: string | null;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ nullable: true, type: String }) overdueAsOf!: string | null;
  @ApiProperty() since!: string;
  @ApiProperty({ nullable: true, type: String }) detail!: string | null;
  @ApiProperty() program!: string;
  @ApiProperty() year!: number;
  @ApiProperty() uscc!: string;
  @ApiProperty({ nullable: true, type: String }) beneficiaryName!: string | null;
  @ApiProperty({
    nullable: true,
    type: String,
    description: 'the case that already holds an award for the same enterprise, program and year (this one asks for a second); null otherwise',
  })
  earlierAwardId!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '341502', description: "the beneficiary register's division for the award year; null: none" })
  registeredDivision!: string | null;
  @ApiProperty({
    example: false,
    description:
      'false: no register entry for the award year, so "registered in Lu\'an" is judged by USCC prefix, not confirmed by the register (按统一社会信用代码前缀判断，未经登记信息确认)',
  })
  localityConfirmed!: boolean;
}

export class InboxResponse implements Inbox {
  @ApiProperty({ example: 'COM' }) unit!: string;
  @ApiProperty({ type: [InboxItemResponse] }) items!: InboxItemResponse[];
  @ApiProperty() total!: number;
}
