import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';
import { PROACTIVE_PROGRAMS } from '@cbec/domain';
import { IsUscc, MAX_PAGE_LIMIT, MAX_PAGE_OFFSET, namingLimit } from '@cbec/platform';

/** How many candidates one action opens at most (one request, one answer listing each). */
export const MAX_PROACTIVE_OPEN = 200;

export class ListProactiveAwardsRequest {
  @ApiProperty({ example: 2019, description: 'the award year' })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiPropertyOptional({ enum: PROACTIVE_PROGRAMS })
  @IsOptional()
  @IsIn(PROACTIVE_PROGRAMS)
  program?: (typeof PROACTIVE_PROGRAMS)[number];

  @ApiPropertyOptional({ default: 50, minimum: 1, maximum: MAX_PAGE_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT, namingLimit(MAX_PAGE_LIMIT))
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, maximum: MAX_PAGE_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(MAX_PAGE_OFFSET, namingLimit(MAX_PAGE_OFFSET))
  offset?: number;
}

export class ProactiveChoice {
  @ApiProperty({ example: '91341502MA2010017C' })
  @IsUscc()
  uscc!: string;

  @ApiProperty({ enum: PROACTIVE_PROGRAMS })
  @IsIn(PROACTIVE_PROGRAMS)
  program!: (typeof PROACTIVE_PROGRAMS)[number];
}

export class OpenProactiveAwardsRequest {
  @ApiProperty({ example: 2019 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({ type: [ProactiveChoice], maxItems: MAX_PROACTIVE_OPEN, description: 'the candidates chosen, each by enterprise and program' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PROACTIVE_OPEN, namingLimit(MAX_PROACTIVE_OPEN))
  @ValidateNested({ each: true })
  @Type(() => ProactiveChoice)
  candidates!: ProactiveChoice[];
}
