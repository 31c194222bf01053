import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, CaseClaims } from '@cbec/domain';
import { AggregateStore, CommandContext } from '@cbec/platform';
import { assertClaimsComplete } from '../submit-application/submit-application.handler';
import { caseGuard, CommandAnswer, requireCase } from '../shared/command-answer';

export class ConfirmDeclarationsCommand {
  constructor(
    readonly applicationId: string,
    readonly declarations: Record<string, unknown>,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

/**
 * 免申即享: the enterprise confirms the declarations its case needs (P1: whether it receives another municipal
 * award for the same exports); with them the claims are complete as a submission's must be, and the lead
 * unit may accept the case, which continues as any other.
 */
@CommandHandler(ConfirmDeclarationsCommand)
export class ConfirmDeclarationsHandler implements ICommandHandler<ConfirmDeclarationsCommand, CommandAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ applicationId, declarations, ctx, expectedVersion }: ConfirmDeclarationsCommand): Promise<CommandAnswer> {
    const guard = caseGuard(ctx.actor, 'confirm-declarations');
    const loaded = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
    guard(loaded.state);
    const theCase = requireCase(loaded.state);
    const given = JSON.parse(JSON.stringify(declarations)) as CaseClaims;
    // The same completeness a submission is held to, on the claims as they will be.
    assertClaimsComplete(theCase.program, theCase.year, theCase.beneficiary, { ...theCase.claims, ...given });
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'ConfirmDeclarations', data: { declarations: given, confirmedBy: ctx.actor.user } },
      ctx,
      { guard, ...(expectedVersion === undefined ? {} : { expectedVersion }) },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}
