import { Controller, Get, Param } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@cbec/event-store';
import { AccountsService, AccountView, CurrentActor, ApiDoes, ApiProblems, AUTH_PROBLEMS, Forbidden } from '@cbec/platform';
import { AccountAnswer } from '../create-account/create-account.request';

/** Accounts are read by the administrators who manage them and by AUDIT (their history: /api/v1/audit/streams/account-<u>/history). */
function assertMayRead(actor: Actor): void {
  if ((actor.unit === 'ADMIN' && actor.role === 'admin') || actor.unit === 'AUDIT') return;
  throw new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" may not read accounts: that is for ADMIN and AUDIT`);
}

@ApiTags('accounts')
@Controller('accounts')
export class ListAccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Get()
  @ApiDoes('List every account (never a password or its hash)', { callers: 'ADMIN (role admin) and AUDIT' })
  @ApiOkResponse({ type: AccountAnswer, isArray: true })
  @ApiProblems({ ...AUTH_PROBLEMS, 403: 'the caller is neither ADMIN nor AUDIT' })
  async list(@CurrentActor() actor: Actor): Promise<{ accounts: AccountView[] }> {
    assertMayRead(actor);
    return { accounts: await this.accounts.list() };
  }

  @Get(':username')
  @ApiDoes('One account', { callers: 'ADMIN (role admin) and AUDIT' })
  @ApiOkResponse({ type: AccountAnswer })
  @ApiProblems({ ...AUTH_PROBLEMS, 403: 'the caller is neither ADMIN nor AUDIT', 404: 'no such account' })
  get(@CurrentActor() actor: Actor, @Param('username') username: string): Promise<AccountView> {
    assertMayRead(actor);
    return this.accounts.get(username);
  }
}
