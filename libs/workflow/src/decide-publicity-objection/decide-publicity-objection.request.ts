import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT_LENGTH, namingLimit } from '@cbec/platform';

export class DecidePublicityObjectionRequest {
  @ApiProperty({ enum: ['uphold', 'withdraw'], description: 'uphold: the award stands and may be paid; withdraw: it is released from the caps and the fund' })
  @IsIn(['uphold', 'withdraw'])
  decision!: 'uphold' | 'withdraw';

  @ApiProperty({ example: 'the invoices were checked with customs: the objection is unfounded', maxLength: MAX_TEXT_LENGTH })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  reason!: string;
}
