import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, CaseClaims, CaseState, parseEvaluationInput } from '@cbec/domain';
import { AggregateStore, BadRequest } from '@cbec/platform';
import { CommandAnswer, caseGuard, requireCase } from '../shared/command-answer';
import { ResubmitApplicationCommand } from './resubmit-application.command';

@CommandHandler(ResubmitApplicationCommand)
export class ResubmitApplicationHandler implements ICommandHandler<ResubmitApplicationCommand, CommandAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ applicationId, request, ctx, expectedVersion }: ResubmitApplicationCommand): Promise<CommandAnswer> {
    const claims = JSON.parse(JSON.stringify(request.claims)) as CaseClaims;
    const authorize = caseGuard(ctx.actor, 'resubmit-application');
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'ResubmitApplication', data: { claims, resubmittedBy: ctx.actor.user } },
      ctx,
      {
        expectedVersion,
        guard: (state: CaseState) => {
          authorize(state);
          const existing = requireCase(state);
          // The corrected claims must still be complete for the case's program.
          try {
            parseEvaluationInput({ program: existing.program, year: existing.year, beneficiary: existing.beneficiary, claims, customs: [] });
          } catch (e) {
            const { field, message } = e as { field?: string; message: string };
            if (typeof field !== 'string') throw e;
            throw new BadRequest(`incomplete application: ${message}`, [{ field, reason: message }], 'incomplete-application');
          }
        },
      },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}
