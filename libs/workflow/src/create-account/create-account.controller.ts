import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import { AccountsService, AccountView, CommandContext, ApiDoes, ApiProblems, AUTH_PROBLEMS } from '@cbec/platform';
import { CommandCtx } from '../shared/command-context.decorator';
import { AccountAnswer, CreateAccountRequest } from './create-account.request';

@ApiTags('accounts')
@Controller('accounts')
export class CreateAccountController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(201)
  @ApiDoes('Create an account with its first password (stream account-<username>)', {
    callers: 'ADMIN (role admin) for any account; a COM officer or head for an applicant account (unit APPLICANT, with its USCC)',
  })
  @ApiCreatedResponse({ type: AccountAnswer })
  @ApiProblems({
    ...AUTH_PROBLEMS,
    400: 'a field is missing or invalid (named in the problem)',
    403: 'the caller may not create this account',
    409: 'the username is taken',
    422: 'the password breaks the rule (weak-password, listing what is missing)',
  })
  create(@Body() body: CreateAccountRequest, @CommandCtx() ctx: CommandContext): Promise<AccountView> {
    return this.accounts.create(body, ctx);
  }
}
