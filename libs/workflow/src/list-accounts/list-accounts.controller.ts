import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Actor } from '@cbec/event-store';
import { AccountsService, AccountView, CurrentActor, ApiDoes, ApiProblems, AUTH_PROBLEMS, Forbidden } from '@cbec/platform';
import { AccountAnswer } from '../create-account/create-account.request';
import { AccountListAnswer, ListAccountsRequest, MAX_ACCOUNTS_PAGE } from './list-accounts.request';

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
  @ApiDoes('List the accounts, by username, a page at a time (never a password or its hash)', {
    callers: 'ADMIN (role admin) and AUDIT',
    description: "`unit` keeps one unit's accounts; `limit` (default and most 500) and `offset` page them; `total` counts every match.",
  })
  @ApiOkResponse({ type: AccountListAnswer })
  @ApiProblems({ ...AUTH_PROBLEMS, 400: 'bad parameter (each named)', 403: 'the caller is neither ADMIN nor AUDIT' })
  async list(@CurrentActor() actor: Actor, @Query() request: ListAccountsRequest): Promise<AccountListAnswer> {
    assertMayRead(actor);
    const matching = (await this.accounts.list()).filter((a) => request.unit === undefined || a.unit === request.unit);
    const offset = request.offset ?? 0;
    return { accounts: matching.slice(offset, offset + (request.limit ?? MAX_ACCOUNTS_PAGE)), total: matching.length };
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
