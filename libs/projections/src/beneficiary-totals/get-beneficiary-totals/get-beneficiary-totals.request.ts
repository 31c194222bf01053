import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';
import { ReadPositionRequest } from '../../http/read-request';

export class GetBeneficiaryTotalsRequest extends ReadPositionRequest {
  @ApiProperty({ description: 'the award year', example: 2019 })
  @Type(() => Number)
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;
}
