import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { AMOUNT_LIMITS } from '@cbec/domain';
import { IsMoneyString, MAX_REF_LENGTH, moneySchema, namingLimit } from '@cbec/platform';

export class RecordRepaymentRequest {
  @ApiProperty({ description: 'the recovery order (追回) the money is returned on' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  recoveryId!: string;

  @ApiProperty({
    example: 'BOC-RET-2020-0007',
    description: "the bank's reference of the money returned; recording it twice is one repayment",
    maxLength: MAX_REF_LENGTH,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  repaymentRef!: string;

  @ApiProperty(moneySchema(AMOUNT_LIMITS.computedAwardCny, 'CNY returned (at most what is still owed on the order)', '20000.00'))
  @IsMoneyString()
  amountCny!: string;
}
