import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { ReadPositionRequest } from '../../http/read-request';

export class PublicityListRequest extends ReadPositionRequest {
  @ApiProperty({ example: '2020-03-05', description: 'the day: every award whose publicity (公示) covers it' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be an ISO date YYYY-MM-DD' })
  date!: string;

  @ApiPropertyOptional({ enum: ['json', 'csv', 'xlsx'], default: 'json' })
  @IsOptional()
  @IsIn(['json', 'csv', 'xlsx'])
  format?: 'json' | 'csv' | 'xlsx';
}
