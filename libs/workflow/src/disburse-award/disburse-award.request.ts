import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { MAX_REF_LENGTH, namingLimit } from '@cbec/platform';

export class DisburseAwardRequest {
  @ApiProperty({
    example: 'FIN-PAY-2020-0001',
    description: "the payment's reference; paying twice with one reference is one payment",
    maxLength: MAX_REF_LENGTH,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  paymentRef!: string;
}
