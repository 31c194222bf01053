import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT_LENGTH, namingLimit } from '@cbec/platform';

export class RejectApplicationRequest {
  @ApiProperty({ example: 'the customs statistics show no 9610 exports for the year', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  reason!: string;
}
