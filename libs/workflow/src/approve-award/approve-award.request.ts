import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { MAX_TEXT_LENGTH, namingLimit, IsMoneyString } from '@cbec/platform';

export class ApproveAwardRequest {
  @ApiPropertyOptional({
    example: '100000.00',
    description: 'omit to approve the computed award; a lower amount needs reasonIfLower; a higher one is refused (422)',
  })
  @IsOptional()
  @IsMoneyString()
  amountCny?: string;

  @ApiPropertyOptional({ description: 'why the approved amount is lower than the computed award (recorded on the decision)', maxLength: MAX_TEXT_LENGTH })
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_TEXT_LENGTH, namingLimit(MAX_TEXT_LENGTH))
  reasonIfLower?: string;
}
