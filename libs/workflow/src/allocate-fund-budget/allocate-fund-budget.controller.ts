import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { CommandContext, IfMatch, yearPipe } from '@cbec/platform';
import { ApiCommand } from '../shared/command-answer';
import { CommandCtx } from '../shared/command-context.decorator';
import { AllocateFundBudgetCommand } from './allocate-fund-budget.command';
import { AllocateFundBudgetAnswer } from './allocate-fund-budget.handler';
import { AllocateFundBudgetRequest } from './allocate-fund-budget.request';

@ApiTags('funds')
@Controller('funds')
export class AllocateFundBudgetController {
  constructor(private readonly commands: CommandBus) {}

  @Post(':year/appropriations')
  @HttpCode(201)
  @ApiCommand("Add to the year's appropriation of the special fund (FIN head)", { callers: 'the FIN head', ifMatch: true })
  allocate(
    @Param('year', yearPipe) year: number,
    @Body() body: AllocateFundBudgetRequest,
    @IfMatch() ifMatch: number | undefined,
    @CommandCtx() ctx: CommandContext,
  ): Promise<AllocateFundBudgetAnswer> {
    return this.commands.execute(new AllocateFundBudgetCommand(year, body.amountCny, ctx, ifMatch));
  }
}
