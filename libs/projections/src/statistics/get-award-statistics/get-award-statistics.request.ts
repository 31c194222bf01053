import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ReadPositionRequest } from '../../http/read-request';
import type { AwardStatistics, AwardStatisticsRow } from './get-award-statistics.query';

export class GetAwardStatisticsRequest extends ReadPositionRequest {
  @ApiPropertyOptional({ description: 'only this program', example: 'P2a' })
  @IsOptional()
  @Matches(/^(P1|P2a|P2b|P3a|P3b|P4)$/, { message: 'program must be P1, P2a, P2b, P3a, P3b or P4' })
  program?: string;

  @ApiPropertyOptional({ description: 'only this award year', example: 2019 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year?: number;

  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: the same rows as a UTF-8 CSV file to download' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';
}

class AwardStatisticsRowResponse implements AwardStatisticsRow {
  @ApiProperty({ example: 2019 }) year!: number;
  @ApiProperty({ example: 'P2a' }) program!: string;
  @ApiProperty({ example: '341502', description: "the division code of the enterprises' USCC" }) division!: string;
  @ApiProperty({ example: '金安区' }) county!: string;
  @ApiProperty({ description: 'approved awards (approved or paid)' }) awards!: number;
  @ApiProperty({ example: '100000.00' }) approvedCny!: string;
  @ApiProperty({ example: '100000.00' }) disbursedCny!: string;
}

export class AwardStatisticsResponse implements AwardStatistics {
  @ApiProperty({ type: [AwardStatisticsRowResponse], description: 'by year, program and county' }) rows!: AwardStatisticsRowResponse[];
}
