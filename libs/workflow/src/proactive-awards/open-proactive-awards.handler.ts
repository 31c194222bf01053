import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { caseDecider, caseStreamId, inadmissible, Policy, proactiveBeneficiary, ProactiveProgram } from '@cbec/domain';
import { AggregateStore, CommandContext, deterministicId, POLICY } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { ProactiveCandidatesFinder } from './proactive-candidates.finder';

export class OpenProactiveAwardsCommand {
  constructor(
    readonly year: number,
    readonly candidates: ReadonlyArray<{ uscc: string; program: ProactiveProgram }>,
    readonly ctx: CommandContext,
  ) {}
}

export interface ProactiveOpened {
  uscc: string;
  program: string;
  applicationId: string;
  version: number;
  position: number;
}

export interface ProactiveRefused {
  uscc: string;
  program: string;
  code: 'not-a-candidate' | string;
  detail: string;
}

export interface OpenProactiveAwardsAnswer {
  year: number;
  opened: ProactiveOpened[];
  refused: ProactiveRefused[];
  /** The global position of the last case opened (0: none): read models with `?minPosition=` show them all. */
  position: number;
}

/** The case of a (year, enterprise, program) opened by 免申即享: the same choice again is the same case. */
export const proactiveApplicationId = (year: number, uscc: string, program: string): string => deterministicId('proactive', String(year), uscc, program);

/**
 * 免申即享: COM opens, in one action, a case for each chosen candidate that is still one now (computed again:
 * an import or a case since may have changed it). Each case is marked 免申 (ProactiveCaseOpened, with the
 * computation that found it) and awaits the enterprise's declarations; nothing is decided here. A choice that
 * is no candidate (any more) is refused on its own and named in the answer; the others are opened.
 */
@CommandHandler(OpenProactiveAwardsCommand)
export class OpenProactiveAwardsHandler implements ICommandHandler<OpenProactiveAwardsCommand, OpenProactiveAwardsAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly finder: ProactiveCandidatesFinder,
    @Inject(POLICY) private readonly policy: Policy,
  ) {}

  async execute({ year, candidates, ctx }: OpenProactiveAwardsCommand): Promise<OpenProactiveAwardsAnswer> {
    assertCanAct(ctx.actor, 'open-proactive-award');
    const answer: OpenProactiveAwardsAnswer = { year, opened: [], refused: [], position: 0 };
    const seen = new Set<string>();
    for (const { uscc, program } of candidates) {
      if (seen.has(`${uscc} ${program}`)) continue;
      seen.add(`${uscc} ${program}`);
      const applicationId = proactiveApplicationId(year, uscc, program);
      const existing = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
      if (existing.state.status !== 'none') {
        // Opened before (this action repeated): the same case.
        answer.opened.push({ uscc, program, applicationId, version: existing.version, position: existing.position });
        continue;
      }
      const [barred] = inadmissible(this.policy, program, year, 'enterprise', ctx.now);
      if (barred) {
        answer.refused.push({ uscc, program, code: barred.code, detail: barred.message });
        continue;
      }
      const found = (await this.finder.find(year, [uscc])).find((c) => c.program === program);
      if (!found) {
        answer.refused.push({
          uscc,
          program,
          code: 'not-a-candidate',
          detail: `the customs statistics of ${year} alone do not prove ${program} for ${uscc} now, or it has a case for ${program} ${year}`,
        });
        continue;
      }
      const result = await this.aggregates.execute(
        caseStreamId(applicationId),
        caseDecider,
        {
          type: 'SubmitApplication',
          data: {
            applicationId,
            program,
            year,
            beneficiary: { ...proactiveBeneficiary(uscc, program), ...(found.name ? { name: found.name } : {}) },
            // The declarations are the enterprise's: none is made for it (the computation's assumptions are in `proactive`).
            claims: {},
            submittedBy: ctx.actor.user,
            policyVersion: this.policy.version,
            proactive: {
              openedBy: ctx.actor.user,
              declarationsPending: found.declarationsPending,
              computation: { computedCny: found.computedCny, amountCny: found.amountCny, trace: found.trace, customsEventIds: found.customsEventIds },
            },
          },
        },
        { ...ctx, commandId: deterministicId(ctx.commandId, uscc, program), causationId: ctx.causationId ?? ctx.commandId },
        { expectNewStream: true },
      );
      answer.opened.push({ uscc, program, applicationId, version: result.version, position: result.position });
      answer.position = Math.max(answer.position, result.position);
    }
    return answer;
  }
}
