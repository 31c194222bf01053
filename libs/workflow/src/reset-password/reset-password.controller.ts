import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { AccountsService, AccountView, CommandContext, ApiDoes, ApiProblems, AUTH_PROBLEMS } from '@cbec/platform';
import { CommandCtx } from '../shared/command-context.decorator';
import { AccountAnswer } from '../create-account/create-account.request';

export class ResetPasswordRequest {
  @ApiProperty({ format: 'password' }) @IsString() @MaxLength(256) password!: string;
}

@ApiTags('accounts')
@Controller('accounts')
export class ResetPasswordController {
  constructor(private readonly accounts: AccountsService) {}

  @Post(':username/password-reset')
  @HttpCode(200)
  @ApiDoes('Set a new password for an account (lifts a lock-out, ends its sessions)', { callers: 'ADMIN (role admin)' })
  @ApiOkResponse({ type: AccountAnswer })
  @ApiProblems({ ...AUTH_PROBLEMS, 403: 'the caller is not ADMIN', 404: 'no such account', 422: 'the password breaks the rule (weak-password)' })
  reset(@Param('username') username: string, @Body() body: ResetPasswordRequest, @CommandCtx() ctx: CommandContext): Promise<AccountView> {
    return this.accounts.resetPassword(username, body.password, ctx);
  }
}
