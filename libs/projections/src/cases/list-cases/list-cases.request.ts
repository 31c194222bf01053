import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { CASE_STATUSES, CaseStatus } from '@cbec/domain';
import { IsUscc, MAX_PAGE_LIMIT, MAX_PAGE_OFFSET, MAX_PROGRAM_LENGTH, namingLimit } from '@cbec/platform';
import { ReadPositionRequest } from '../../http/read-request';

export class ListCasesRequest extends ReadPositionRequest {
  @ApiPropertyOptional({ enum: CASE_STATUSES })
  @IsOptional()
  @IsIn(CASE_STATUSES)
  status?: CaseStatus;

  @ApiPropertyOptional({ description: 'P1, P2a, P2b, P3a, P3b, P4 (or the long name)', example: 'P2a', maxLength: MAX_PROGRAM_LENGTH })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_PROGRAM_LENGTH, namingLimit(MAX_PROGRAM_LENGTH))
  program?: string;

  @ApiPropertyOptional({ example: 2019 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ description: 'the beneficiary' })
  @IsOptional()
  @IsUscc()
  uscc?: string;

  @ApiPropertyOptional({ description: 'cases where this unit is lead or cooperating', example: 'CUS' })
  @IsOptional()
  @Matches(/^(FIN|COM|CUS|PBC|CTY-[A-Za-z0-9]{1,16})$/, { message: 'unit must be FIN, COM, CUS, PBC or CTY-<code>' })
  unit?: string;

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT, namingLimit(MAX_PAGE_LIMIT))
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_PAGE_OFFSET, description: 'cases skipped; filter by year, program or status to reach further' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_OFFSET, namingLimit(MAX_PAGE_OFFSET))
  offset?: number;
}
