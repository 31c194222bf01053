import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  awardedCnyOf,
  caseDecider,
  caseStreamId,
  decideCase,
  ExistingCase,
  fundStreamId,
  Money,
  openSupplement,
  supplementApprovalRefusal,
  UnitCode,
} from '@cbec/domain';
import { AggregateStore, CommandContext, VersionConflict } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { caseStep } from '../saga/award-steps';
import { CaseSequence } from '../saga/case-sequence';
import { SagaExecutor, sagaStepId } from '../saga/saga-executor';
import { caseGuard, CommandAnswer, requireCase } from '../shared/command-answer';
import { NoSupplementPending } from '@cbec/domain';
import { startSupplement, supplementSaga } from './supplement.saga';

export class RecordSupplementOpinionCommand {
  constructor(
    readonly applicationId: string,
    readonly verdict: 'approve' | 'reject',
    readonly comment: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

export class ApproveSupplementCommand {
  constructor(
    readonly applicationId: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

export class DisburseSupplementCommand {
  constructor(
    readonly applicationId: string,
    readonly paymentRef: string,
    readonly ctx: CommandContext,
    readonly expectedVersion?: number,
  ) {}
}

export interface SupplementAnswer extends CommandAnswer {
  supplementId: string;
  amountCny: string;
}

/** 补发 countersign: each cooperating unit's officer gives its opinion on the supplementary award. */
@CommandHandler(RecordSupplementOpinionCommand)
export class RecordSupplementOpinionHandler implements ICommandHandler<RecordSupplementOpinionCommand, CommandAnswer> {
  constructor(private readonly aggregates: AggregateStore) {}

  async execute({ applicationId, verdict, comment, ctx, expectedVersion }: RecordSupplementOpinionCommand): Promise<CommandAnswer> {
    const result = await this.aggregates.execute(
      caseStreamId(applicationId),
      caseDecider,
      { type: 'RecordSupplementOpinion', data: { unit: ctx.actor.unit as UnitCode, verdict, comment, author: ctx.actor.user } },
      ctx,
      { guard: caseGuard(ctx.actor, 'record-review-opinion'), ...(expectedVersion === undefined ? {} : { expectedVersion }) },
    );
    return { applicationId, version: result.version, position: result.position };
  }
}

/**
 * 补发 decided by the lead unit's head (nothing is approved without a person, countersign skipped or not): the
 * supplement saga reserves the difference on the ledger (the award's new total against the caps) and commits it
 * on the fund, then records the decision. The case decider is asked first (is the supplement countersigned, may
 * this person decide it), so a refusal by the case takes nothing.
 */
@CommandHandler(ApproveSupplementCommand)
export class ApproveSupplementHandler implements ICommandHandler<ApproveSupplementCommand, SupplementAnswer> {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly sagas: SagaExecutor,
  ) {}

  async execute({ applicationId, ctx, expectedVersion }: ApproveSupplementCommand): Promise<SupplementAnswer> {
    const loaded = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
    const theCase = requireCase(loaded.state);
    assertCanAct(ctx.actor, 'approve-award', theCase, theCase.beneficiary.uscc);
    const repeated = theCase.supplements.find(
      (s) => s.approved && loaded.events.some((e) => e.metadata.commandId === sagaStepId(ctx.commandId, 'ApproveSupplement')),
    );
    if (repeated) return this.answer(theCase, loaded, repeated.supplementId);
    if (expectedVersion !== undefined && expectedVersion !== loaded.version)
      throw new VersionConflict(caseStreamId(applicationId), expectedVersion, loaded.version);
    const supplement = openSupplement(theCase) ?? theCase.supplements.find((s) => !s.approved);
    if (!supplement) throw new NoSupplementPending();
    const refusal = supplementApprovalRefusal(theCase, supplement.supplementId);
    if (refusal) throw refusal;
    const commitmentId = sagaStepId(ctx.commandId, 'commitment');
    // The decider's own checks (four eyes among them), asked before the ledger and the fund move.
    decideCase({ type: 'ApproveSupplement', data: { supplementId: supplement.supplementId, commitmentId, approvedBy: ctx.actor.user } }, theCase);
    const from = Money.cny(awardedCnyOf(theCase));
    const amount = Money.cny(supplement.differenceCny);
    const { results } = await this.sagas.run(
      supplementSaga,
      startSupplement({
        applicationId,
        uscc: theCase.beneficiary.uscc,
        year: theCase.year,
        supplementId: supplement.supplementId,
        reservationId: theCase.approval!.reservationId,
        commitmentId,
        fromCny: from.toString(),
        toCny: from.add(amount).toString(),
        amountCny: amount.toString(),
        approvedBy: ctx.actor.user,
        policyVersion: theCase.policyVersion,
      }),
      ctx.commandId,
      ctx,
    );
    const decided = results.get('ApproveSupplement')!;
    const positions = [...results.values()].map((r) => r.position);
    return { applicationId, version: decided.version, position: Math.max(...positions), supplementId: supplement.supplementId, amountCny: amount.toString() };
  }

  private answer(theCase: ExistingCase, loaded: { version: number; position: number }, supplementId: string): SupplementAnswer {
    const s = theCase.supplements.find((x) => x.supplementId === supplementId)!;
    return { applicationId: theCase.applicationId, version: loaded.version, position: loaded.position, supplementId, amountCny: s.approved!.amountCny };
  }
}

/** 补发 paid: the case records the payment of the supplement, then the fund pays it on the supplement's own commitment. */
@CommandHandler(DisburseSupplementCommand)
export class DisburseSupplementHandler implements ICommandHandler<DisburseSupplementCommand, CommandAnswer> {
  constructor(private readonly sequence: CaseSequence) {}

  execute({ applicationId, paymentRef, ctx, expectedVersion }: DisburseSupplementCommand): Promise<CommandAnswer> {
    return this.sequence.run(applicationId, 'disburse-award', ctx, expectedVersion, (theCase) => {
      const supplement = theCase.supplements.find((s) => s.approved && !s.paid) ?? theCase.supplements.find((s) => s.paid?.paymentRef === paymentRef);
      if (!supplement?.approved) throw new NoSupplementPending();
      const { commitmentId, amountCny } = supplement.approved;
      return [
        caseStep(theCase, {
          step: 'DisburseSupplement',
          command: { type: 'DisburseSupplement', data: { supplementId: supplement.supplementId, paymentRef, disbursedBy: ctx.actor.user } },
        }),
        {
          step: 'RecordPayment',
          aggregate: 'fund',
          streamId: fundStreamId(theCase.year),
          command: { type: 'RecordPayment', data: { year: theCase.year, commitmentId, amountCny, paymentRef } },
        },
      ];
    });
  }
}
