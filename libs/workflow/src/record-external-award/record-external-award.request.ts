import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsNotEmpty, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { AMOUNT_LIMITS } from '@cbec/domain';
import { MAX_REF_LENGTH, namingLimit, IsMoneyString, moneySchema } from '@cbec/platform';

export class RecordExternalAwardRequest {
  @ApiProperty({ example: 2019, description: 'the year the municipal foreign-trade award is for' })
  @IsInt()
  @Min(2000)
  @Max(2100)
  year!: number;

  @ApiProperty({
    example: 'LSW-2020-017',
    description: "the award's reference (document or decision number); recording it twice is one record",
    maxLength: MAX_REF_LENGTH,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_REF_LENGTH, namingLimit(MAX_REF_LENGTH))
  ref!: string;

  @ApiPropertyOptional(moneySchema(AMOUNT_LIMITS.externalAwardCny, 'CNY, when known', '30000.00'))
  @IsOptional()
  @IsMoneyString()
  amountCny?: string;
}
