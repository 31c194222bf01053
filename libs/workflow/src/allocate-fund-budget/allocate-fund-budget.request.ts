import { ApiProperty } from '@nestjs/swagger';
import { IsMoneyString } from '../shared/validation';

export class AllocateFundBudgetRequest {
  @ApiProperty({ example: '5000000.00', description: "CNY, a decimal string; added to the year's appropriation" })
  @IsMoneyString()
  amountCny!: string;
}
