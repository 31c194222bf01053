import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, CaseClaims, parseEvaluationInput, parseProgramId, Policy } from '@cbec/domain';
import { AggregateStore, deterministicId, BadRequest, Unprocessable, POLICY } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { CommandAnswer } from '../shared/command-answer';
import { SubmitApplicationCommand } from './submit-application.command';

@CommandHandler(SubmitApplicationCommand)
export class SubmitApplicationHandler implements ICommandHandler<SubmitApplicationCommand, CommandAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ request, ctx }: SubmitApplicationCommand): Promise<CommandAnswer> {
    const program = parseProgramId(request.program);
    assertCanAct(ctx.actor, 'submit-application', this.policy.programs[program], request.beneficiary.uscc);
    const claims = JSON.parse(JSON.stringify(request.claims)) as CaseClaims;
    const beneficiary = JSON.parse(JSON.stringify(request.beneficiary)) as SubmitApplicationCommand['request']['beneficiary'];
    assertClaimsComplete(program, request.year, beneficiary, claims);
    assertAwardYearOver(request.year, ctx.now);
    // The same Idempotency-Key opens the same case: its id derives from the command id.
    const applicationId = deterministicId('application', ctx.commandId);
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      {
        type: 'SubmitApplication',
        data: { applicationId, program, year: request.year, beneficiary, claims, submittedBy: ctx.actor.user, policyVersion: this.policy.version },
      },
      ctx,
      { expectNewStream: true },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}

/** Lu'an keeps Beijing time (UTC+8, no daylight saving): the award year ends at 24:00 on 31 December there. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** docs/policy.md: a year is a calendar year, and applications for year Y are made after Y ends. */
function assertAwardYearOver(year: number, now: Date): void {
  const currentYear = new Date(now.getTime() + BEIJING_OFFSET_MS).getUTCFullYear();
  if (year < currentYear) return;
  throw new Unprocessable(
    'award-year-not-over',
    `applications for ${year} open once ${year} has ended (docs/policy.md: applications for year Y are made after Y ends)`,
    [{ field: 'year', reason: `${year} has not ended yet` }],
  );
}

/**
 * A case is complete when the policy engine could evaluate it: the claims the program needs are there
 * and well-formed (the customs figures come later, from the imported statistics).
 */
function assertClaimsComplete(program: string, year: number, beneficiary: object, claims: CaseClaims): void {
  try {
    parseEvaluationInput({ program, year, beneficiary, claims, customs: [] });
  } catch (e) {
    const { field, message } = e as { field?: string; message: string };
    if (typeof field !== 'string') throw e;
    throw new BadRequest(`incomplete application: ${message}`, [{ field, reason: message }], 'incomplete-application');
  }
}
