import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { MAX_INBOX_LIMIT, namingLimit } from '@cbec/platform';
import { ReadPositionRequest } from '../../http/read-request';

const INBOX_TASKS = ['accept', 'review', 'decide', 'disburse', 'resubmit', 'overdue-review', 'recover', 'confirm'];

export class GetInboxRequest extends ReadPositionRequest {
  @ApiPropertyOptional({ description: "AUDIT only: read this unit's inbox", example: 'COM' })
  @IsOptional()
  @Matches(/^(FIN|COM|CUS|PBC|CTY-[A-Za-z0-9]{1,16}|APPLICANT)$/, { message: 'unit must be FIN, COM, CUS, PBC, CTY-<code> or APPLICANT' })
  unit?: string;

  @ApiPropertyOptional({ default: 200, minimum: 1, maximum: MAX_INBOX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INBOX_LIMIT, namingLimit(MAX_INBOX_LIMIT))
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, description: 'items to skip (paging, in the inbox order)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;

  @ApiPropertyOptional({ description: 'only items of this program', example: 'P2a' })
  @IsOptional()
  @Matches(/^(P1|P2a|P2b|P3a|P3b|P4)$/, { message: 'program must be P1, P2a, P2b, P3a, P3b or P4' })
  program?: string;

  @ApiPropertyOptional({ description: 'only items of this year', example: 2019 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'only items of this task', enum: INBOX_TASKS })
  @IsOptional()
  @IsIn(INBOX_TASKS, { message: `task must be one of ${INBOX_TASKS.join(', ')}` })
  task?: string;
}
