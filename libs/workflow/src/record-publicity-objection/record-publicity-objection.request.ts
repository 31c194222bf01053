import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_REF_LENGTH, MAX_TEXT_LENGTH, namingLimit } from '@cbec/platform';

export class RecordPublicityObjectionRequest {
  @ApiProperty({ example: '12345 hotline, call 2020-03-04 10:12', description: 'where the objection came from', maxLength: MAX_REF_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  source!: string;

  @ApiProperty({ example: 'the 9610 exports of 2019 were re-invoiced through a related company', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  detail!: string;
}
