import { Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { AccountsService, AccountView, CommandContext, ApiDoes, ApiProblems, AUTH_PROBLEMS } from '@cbec/platform';
import { CommandCtx } from '../shared/command-context.decorator';
import { AccountAnswer } from '../create-account/create-account.request';

@ApiTags('accounts')
@Controller('accounts')
export class DisableAccountController {
  constructor(private readonly accounts: AccountsService) {}

  @Post(':username/disable')
  @HttpCode(200)
  @ApiDoes('Disable an account: it may not log in, and its sessions end', { callers: 'ADMIN (role admin)' })
  @ApiOkResponse({ type: AccountAnswer })
  @ApiProblems({ ...AUTH_PROBLEMS, 403: 'the caller is not ADMIN', 404: 'no such account', 409: 'disabled already' })
  disable(@Param('username') username: string, @CommandCtx() ctx: CommandContext): Promise<AccountView> {
    return this.accounts.disable(username, ctx);
  }

  @Post(':username/enable')
  @HttpCode(200)
  @ApiDoes('Enable an account again, or lift its lock-out before the end', { callers: 'ADMIN (role admin)' })
  @ApiOkResponse({ type: AccountAnswer })
  @ApiProblems({ ...AUTH_PROBLEMS, 403: 'the caller is not ADMIN', 404: 'no such account', 409: 'enabled and not locked' })
  enable(@Param('username') username: string, @CommandCtx() ctx: CommandContext): Promise<AccountView> {
    return this.accounts.enable(username, ctx);
  }
}
