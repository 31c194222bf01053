import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { MAX_INBOX_LIMIT, namingLimit } from '@cbec/platform';
import { ReadPositionRequest } from '../../http/read-request';

export class GetReviewBoardRequest extends ReadPositionRequest {
  @ApiPropertyOptional({ description: 'only the reviews this unit owes', example: 'PBC' })
  @IsOptional()
  @Matches(/^(FIN|COM|CUS|PBC|CTY-[A-Za-z0-9]{1,16})$/, { message: 'unit must be FIN, COM, CUS, PBC or CTY-<code>' })
  unit?: string;

  @ApiPropertyOptional({ description: 'only reviews of this program', example: 'P2a' })
  @IsOptional()
  @Matches(/^(P1|P2a|P2b|P3a|P3b|P4)$/, { message: 'program must be P1, P2a, P2b, P3a, P3b or P4' })
  program?: string;

  @ApiPropertyOptional({ description: 'only reviews of this year', example: 2019 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'only the reviews past their due date', type: Boolean })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_INBOX_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INBOX_LIMIT, namingLimit(MAX_INBOX_LIMIT))
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, description: 'reviews to skip (paging, in the board order)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
