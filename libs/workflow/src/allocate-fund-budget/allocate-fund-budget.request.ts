import { ApiProperty } from '@nestjs/swagger';
import { AMOUNT_LIMITS } from '@cbec/domain';
import { IsMoneyString, moneySchema } from '@cbec/platform';

export class AllocateFundBudgetRequest {
  @ApiProperty(moneySchema(AMOUNT_LIMITS.fundYearCny, "CNY added to the year's appropriation (this one and the year's together)", '5000000.00'))
  @IsMoneyString()
  amountCny!: string;
}
