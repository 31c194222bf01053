import { Inject, Injectable } from '@nestjs/common';
import {
  approvedAmountOf,
  AwardReserved,
  beneficiaryDecider,
  beneficiaryStreamId,
  BeneficiaryState,
  caseDecider,
  caseStreamId,
  caseTransitionRefusal,
  DomainError,
  evaluateFacts,
  ExistingCase,
  getPolicy,
  ReasonCode,
  TraceStep,
} from '@cbec/domain';
import { RecordedEvent } from '@cbec/event-store';
import { publicityPeriod, WorkingDayCalendar } from '../calendar';
import { AggregateStore, CommandContext, deterministicId, NotFound, VersionConflict, WorkflowError, CLOCK, Clock } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { requireCase } from '../shared/command-answer';
import { SagaExecutor, sagaStepId } from '../saga/saga-executor';
import { approvalSaga, PendingApproval, startApproval } from './approval.saga';
import { customsEventIdsOf, gatherApprovalInputs } from './approval-inputs';
import { CustomsFiguresReader } from './customs-figures.reader';

/** The policy engine finds no award for this case (reasons and trace say why); nothing is reserved. */
export class AwardNotEligible extends WorkflowError {
  readonly code = 'not-eligible';
  readonly httpStatus = 422;
  constructor(
    readonly reasons: ReasonCode[],
    readonly trace: TraceStep[],
  ) {
    super(`the policy engine finds no award for this case: ${reasons.join(', ')}`);
  }
}

export { RecruitCountedElsewhere, type PendingApproval } from './approval.saga';

export interface ApprovalOutcome {
  applicationId: string;
  version: number;
  position: number;
  amountCny: string;
  computedCny: string;
  approvableCny: string;
  capApplied: string | null;
  reservationId: string;
  commitmentId: string;
}

export type ResumeOutcome =
  | { outcome: 'completed'; approval: ApprovalOutcome }
  | { outcome: 'released'; reason: string }
  | { outcome: 'already-settled'; status: 'confirmed' | 'released' };

export interface ApproveRequest {
  amountCny?: string;
  reasonIfLower?: string;
}

/** How often an approval re-evaluates after another approval changed the same ledger first. */
const MAX_ATTEMPTS = 40;

/** The reservation id (the approval saga's id) derives from the approval command id; every step's from it. */
export const reservationIdOf = (approvalCommandId: string): string => deterministicId(approvalCommandId, 'reservation');
export const commitmentIdOf = (reservationId: string): string => sagaStepId(reservationId, 'commitment');

/**
 * The approval (docs/architecture.md: an approval touches three streams and no store has a multi-stream
 * transaction): recompute the award from the imported customs figures and the ledger, reserve it on
 * `beneficiary-<uscc>` with the ledger version it was computed on (another approval got in first: compute
 * again), then run the approval saga (approval.saga.ts) on what the reservation carries. Every step's id
 * derives from the approval command id, so a retry continues where the last attempt stopped.
 */
@Injectable()
export class ApprovalProcess {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly customs: CustomsFiguresReader,
    private readonly sagas: SagaExecutor,
    private readonly calendar: WorkingDayCalendar,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async approve(applicationId: string, request: ApproveRequest, ctx: CommandContext, expectedVersion?: number): Promise<ApprovalOutcome> {
    const reservationId = reservationIdOf(ctx.commandId);
    const commitmentId = commitmentIdOf(reservationId);
    for (let attempt = 1; ; attempt++) {
      const loadedCase = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
      const theCase = requireCase(loadedCase.state);
      assertCanAct(ctx.actor, 'approve-award', theCase, theCase.beneficiary.uscc);
      if (theCase.status === 'approved' && theCase.approval?.reservationId === reservationId) {
        return this.answer(theCase, loadedCase, reservationId); // this very approval, repeated
      }
      if (expectedVersion !== undefined && expectedVersion !== loadedCase.version) {
        throw new VersionConflict(caseStreamId(applicationId), expectedVersion, loadedCase.version);
      }
      const refusal = caseTransitionRefusal(theCase.status, 'ApproveAward');
      if (refusal) throw refusal;

      const uscc = theCase.beneficiary.uscc;
      const ledger = await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider);
      const earlier = ledger.state.reservations.find((r) => r.reservationId === reservationId);
      if (earlier?.status === 'reserved') {
        // A previous attempt of this same approval reserved and was cut off: finish it.
        return this.complete(uscc, reservationId, this.pendingOf(ledger.events, reservationId), earlier.recruits, ctx);
      }

      const decision = await this.decide(theCase, ledger.state, request, ctx);
      try {
        await this.aggregates.execute(
          beneficiaryStreamId(uscc),
          beneficiaryDecider,
          {
            type: 'ReserveAward',
            data: {
              uscc,
              reservationId,
              applicationId,
              program: theCase.program,
              year: theCase.year,
              requestedCny: decision.requestedCny,
              policyVersion: theCase.policyVersion,
              waivesMunicipalAward: theCase.claims.waivesOtherMunicipalAward === true,
              ...(decision.pending.recruits.length ? { recruits: decision.pending.recruits } : {}),
            },
          },
          { ...ctx, commandId: sagaStepId(reservationId, 'ReserveAward'), causationId: ctx.causationId ?? ctx.commandId },
          // The award was computed on this ledger: if another approval got in first, compute again.
          { expectedVersion: ledger.version, metadata: { approval: { ...decision.pending, commitmentId } } },
        );
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
        // Spread the retries of approvals that collided on one ledger, so they do not collide again.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 3 * Math.min(attempt, 10))));
        continue;
      }
      const reserved = await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider);
      return this.complete(uscc, reservationId, this.pendingOf(reserved.events, reservationId), decision.pending.recruits, ctx);
    }
  }

  /**
   * Settles a reservation left without an outcome (the process found AwardReserved with neither
   * ReservationConfirmed nor ReservationReleased after it): completes the approval it carries when the
   * case still awaits that decision, releases it otherwise. Idempotent.
   */
  async resumeApproval(reservation: { uscc: string; reservationId: string }, context: Partial<CommandContext> = {}): Promise<ResumeOutcome> {
    const { uscc, reservationId } = reservation;
    const ledger = await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider);
    const held = ledger.state.reservations.find((r) => r.reservationId === reservationId);
    if (!held) throw new NotFound(`beneficiary ${uscc} has no reservation ${reservationId}`);
    if (held.status !== 'reserved') return { outcome: 'already-settled', status: held.status };
    const ctx: CommandContext = {
      commandId: sagaStepId(reservationId, 'resume'),
      correlationId: context.correlationId ?? reservationId,
      causationId: context.causationId ?? null,
      actor: context.actor ?? { user: 'approval-process', unit: 'SYSTEM', role: 'process' },
      now: context.now ?? this.clock.now(),
    };
    let pending: PendingApproval | null = null;
    try {
      pending = this.pendingOf(ledger.events, reservationId);
    } catch {
      // released by the saga: a reservation without its decision cannot be completed
    }
    try {
      const completed = await this.complete(uscc, reservationId, pending, held.recruits, ctx, held.applicationId);
      return { outcome: 'completed', approval: completed };
    } catch (error) {
      if (!(error instanceof DomainError || error instanceof WorkflowError || !pending)) throw error;
      return { outcome: 'released', reason: (error as Error).message };
    }
  }

  /** Runs the approval saga from the reservation on; answers what the case then holds. */
  private async complete(
    uscc: string,
    reservationId: string,
    pending: PendingApproval | null,
    recruits: readonly string[],
    ctx: CommandContext,
    applicationId = pending?.applicationId ?? '',
  ): Promise<ApprovalOutcome> {
    const loadedCase = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
    const theCase = requireCase(loadedCase.state);
    const start = startApproval({
      uscc,
      year: theCase.year,
      reservationId,
      applicationId,
      pending,
      recruits,
      caseStatus: theCase.status,
      caseReservationId: theCase.approval?.reservationId ?? null,
    });
    const { results } = await this.sagas.run(approvalSaga, start, reservationId, ctx);
    const approved = results.get('ApproveAward');
    const confirmed = results.get('ConfirmReservation');
    if (!approved) {
      const after = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
      return this.answer(requireCase(after.state), after, reservationId);
    }
    const state = approved.state as ExistingCase;
    const p = pending!;
    return {
      applicationId,
      version: approved.version,
      position: Math.max(approved.position, confirmed?.position ?? 0),
      amountCny: p.amountCny,
      computedCny: p.computedCny,
      approvableCny: p.approvableCny,
      capApplied: state.approval?.capApplied ?? p.capApplied,
      reservationId,
      commitmentId: p.commitmentId,
    };
  }

  /** The award, recomputed by the policy engine from the imported customs figures and the ledger. */
  private async decide(
    theCase: ExistingCase,
    ledger: BeneficiaryState,
    request: ApproveRequest,
    ctx: CommandContext,
  ): Promise<{ requestedCny: string; pending: Omit<PendingApproval, 'commitmentId'> }> {
    const facts = await gatherApprovalInputs(this.aggregates, this.customs, theCase, ledger);
    const evaluation = evaluateFacts(facts, getPolicy(theCase.policyVersion));
    if (!evaluation.eligible) throw new AwardNotEligible(evaluation.reasons, evaluation.trace);

    const approvable = evaluation.amount;
    const { amount, reasonIfLower } = approvedAmountOf(request, approvable);
    const customsEventIds = customsEventIdsOf(evaluation.trace);
    return {
      // The ledger applies the caps itself on the very ledger version the award was computed on.
      requestedCny: reasonIfLower ? amount.toString() : evaluation.computed.toString(),
      pending: {
        applicationId: theCase.applicationId,
        amountCny: amount.toString(),
        computedCny: evaluation.computed.toString(),
        approvableCny: approvable.toString(),
        reasonIfLower,
        capApplied: evaluation.capApplied,
        trace: evaluation.trace,
        policyVersion: evaluation.policyVersion,
        customsEventIds,
        approvedBy: ctx.actor.user,
        recruits: evaluation.recruitsCounted ?? [],
        // 公示 on the case's policy: the award is paid only after it.
        publicity: publicityPeriod(ctx.now, getPolicy(theCase.policyVersion).afterDecision.publicityWorkingDays, this.calendar),
      },
    };
  }

  private pendingOf(events: readonly RecordedEvent[], reservationId: string): PendingApproval {
    const reserved = events.find((e) => e.type === 'AwardReserved' && (e.data as AwardReserved['data']).reservationId === reservationId);
    const pending = reserved?.metadata.approval as PendingApproval | undefined;
    if (!reserved || !pending) throw new NotFound(`reservation ${reservationId} carries no pending approval`);
    // What the ledger actually holds is what is approved (it applied the caps on its own state).
    const held = (reserved.data as AwardReserved['data']).amountCny;
    // A reservation made before approvableCny existed carried "after caps" in computedCny.
    const recorded = { ...pending, approvableCny: pending.approvableCny ?? pending.computedCny };
    return held === recorded.amountCny ? recorded : { ...recorded, amountCny: held, approvableCny: recorded.reasonIfLower ? recorded.approvableCny : held };
  }

  private answer(theCase: ExistingCase, loaded: { version: number; position: number }, reservationId: string): ApprovalOutcome {
    const a = theCase.approval!;
    return {
      applicationId: theCase.applicationId,
      version: loaded.version,
      position: loaded.position,
      amountCny: a.amountCny,
      computedCny: a.computedCny,
      approvableCny: a.approvableCny,
      capApplied: a.capApplied,
      reservationId,
      commitmentId: a.commitmentId,
    };
  }
}
