import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, CaseClaims, inadmissible, parseEvaluationInput, parseProgramId, Policy } from '@cbec/domain';
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
    // One validation with `evaluate` (libs/domain/src/policy/admissibility.ts): what one refuses, so does the other.
    const [barred] = inadmissible(this.policy, program, request.year, (beneficiary as { kind?: string }).kind, ctx.now);
    if (barred) throw new Unprocessable(barred.code, barred.message, [{ field: barred.field, reason: barred.message }]);
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

/**
 * A case is complete when the policy engine could evaluate it: the claims the program needs are there
 * and well-formed (the customs figures come later, from the imported statistics).
 */
export function assertClaimsComplete(program: string, year: number, beneficiary: object, claims: CaseClaims): void {
  try {
    parseEvaluationInput({ program, year, beneficiary, claims, customs: [] });
  } catch (e) {
    const { field, message } = e as { field?: string; message: string };
    if (typeof field !== 'string') throw e;
    throw new BadRequest(`incomplete application: ${message}`, [{ field, reason: message }], 'incomplete-application');
  }
}
