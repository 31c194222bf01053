import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { AccountsService, AccountView, CommandContext, ApiDoes, ApiProblems, AUTH_PROBLEMS } from '@cbec/platform';
import { CommandCtx } from '../shared/command-context.decorator';
import { AccountAnswer } from '../create-account/create-account.request';

export class ChangeAccountGrantRequest {
  @ApiProperty({ example: 'FIN' }) @IsString() @MaxLength(32) unit!: string;
  @ApiProperty({ example: 'officer' }) @IsString() @MaxLength(32) role!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(18) uscc?: string;
}

@ApiTags('accounts')
@Controller('accounts')
export class ChangeAccountGrantController {
  constructor(private readonly accounts: AccountsService) {}

  @Post(':username/grant')
  @HttpCode(200)
  @ApiDoes("Change an account's unit and role (ends its sessions)", { callers: 'ADMIN (role admin)' })
  @ApiOkResponse({ type: AccountAnswer })
  @ApiProblems({ ...AUTH_PROBLEMS, 400: 'an incoherent unit, role or USCC (named)', 403: 'the caller is not ADMIN', 404: 'no such account' })
  change(@Param('username') username: string, @Body() body: ChangeAccountGrantRequest, @CommandCtx() ctx: CommandContext): Promise<AccountView> {
    return this.accounts.changeGrant(username, body, ctx);
  }
}
