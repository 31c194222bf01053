import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { namingLimit } from '@cbec/platform';
import { AccountAnswer } from '../create-account/create-account.request';

/** The most accounts one answer holds: the account list is paged like every other list. */
export const MAX_ACCOUNTS_PAGE = 500;

export class ListAccountsRequest {
  @ApiPropertyOptional({ description: "only this unit's accounts", example: 'FIN' })
  @IsOptional()
  @Matches(/^(FIN|COM|CUS|PBC|LGO|AUDIT|ADMIN|APPLICANT|CTY-[A-Za-z0-9]{1,16})$/, {
    message: 'unit must be FIN, COM, CUS, PBC, LGO, AUDIT, ADMIN, APPLICANT or CTY-<code>',
  })
  unit?: string;

  @ApiPropertyOptional({ default: MAX_ACCOUNTS_PAGE, minimum: 1, maximum: MAX_ACCOUNTS_PAGE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_ACCOUNTS_PAGE, namingLimit(MAX_ACCOUNTS_PAGE))
  limit?: number;

  @ApiPropertyOptional({ default: 0, minimum: 0, description: 'accounts to skip (by username)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}

export class AccountListAnswer {
  @ApiProperty({ type: [AccountAnswer] }) accounts!: AccountAnswer[];
  @ApiProperty({ description: 'every matching account, before paging' }) total!: number;
}
