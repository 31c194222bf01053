import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_REF_LENGTH, MAX_TEXT_LENGTH, namingLimit } from '@cbec/platform';

export class RevokeAwardRequest {
  @ApiProperty({ example: 'the 9610 exports were declared twice through a related company (骗取)', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  reason!: string;

  @ApiProperty({ example: 'LA-PSB-2020-0417', description: 'the reference of the evidence (a police or audit file)', maxLength: MAX_REF_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  evidenceRef!: string;
}
