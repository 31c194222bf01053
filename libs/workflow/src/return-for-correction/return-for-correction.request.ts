import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ReturnForCorrectionRequest {
  @ApiProperty({ example: 'the platform fee invoices for Q4 are missing' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  reason!: string;
}
