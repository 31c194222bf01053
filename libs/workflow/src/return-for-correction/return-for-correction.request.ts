import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT_LENGTH, namingLimit } from '@cbec/platform';

export class ReturnForCorrectionRequest {
  @ApiProperty({ example: 'the platform fee invoices for Q4 are missing', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  reason!: string;
}
