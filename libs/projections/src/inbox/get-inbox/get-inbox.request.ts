import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { MAX_INBOX_LIMIT, namingLimit } from '@cbec/platform';
import { ReadPositionRequest } from '../../http/read-request';

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
}
