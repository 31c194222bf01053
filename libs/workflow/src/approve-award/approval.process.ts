import { Inject, Injectable } from '@nestjs/common';
import {
  AmountAboveComputed,
  AwardReserved,
  beneficiaryDecider,
  beneficiaryStreamId,
  BeneficiaryState,
  caseDecider,
  caseStreamId,
  DomainError,
  evaluateFacts,
  ExistingCase,
  fundDecider,
  fundStreamId,
  getPolicy,
  InvalidTransition,
  Money,
  ReasonCode,
  ReasonRequiredForLowerAmount,
  RecruitAlreadyCounted,
  TraceStep,
} from '@cbec/domain';
import { Actor, RecordedEvent } from '@cbec/event-store';
import { AggregateStore, CommandContext, deterministicId, NotFound, VersionConflict, WorkflowError, CLOCK, Clock } from '@cbec/platform';
import { assertCanAct } from '../auth/authorization';
import { requireCase } from '../shared/command-answer';
import { killAfterReservationFromEnv } from './approval-fault-injection';
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

/**
 * 四（三）: a recruit counts once, ever, for one platform only. Another platform's approval claimed these
 * recruits first; everything this approval reserved and claimed is released, so the head re-approves and
 * the recomputation leaves them out.
 */
export class RecruitCountedElsewhere extends WorkflowError {
  readonly code = 'recruit-counted-elsewhere';
  readonly httpStatus = 422;
  constructor(
    readonly usccs: string[],
    readonly countedBy: Array<{ uscc: string; platformUscc: string; applicationId: string }>,
  ) {
    super(`recruits already counted by another platform, nothing reserved: ${usccs.join(', ')}; approve again to recompute without them`);
  }
}

/**
 * What the approval decided, kept in the metadata of its AwardReserved event: if the process is cut off
 * after the reservation, `resumeApproval` completes the very same decision (or releases it).
 */
export interface PendingApproval {
  applicationId: string;
  commitmentId: string;
  amountCny: string;
  /** Before caps, as `evaluate` reports it. */
  computedCny: string;
  /** After caps: the most the head may approve. */
  approvableCny: string;
  reasonIfLower: string | null;
  capApplied: string | null;
  trace: TraceStep[];
  policyVersion: string;
  customsEventIds: string[];
  approvedBy: string;
  recruits: string[];
}

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

/** Ids of every step, derived from the reservation id (itself derived from the approval command id). */
const stepId = (reservationId: string, step: string): string => deterministicId(reservationId, step);
export const reservationIdOf = (approvalCommandId: string): string => deterministicId(approvalCommandId, 'reservation');
export const commitmentIdOf = (reservationId: string): string => stepId(reservationId, 'commitment');

/**
 * The approval process (docs/architecture.md: an approval touches three streams and no store has a
 * multi-stream transaction): recompute the award from the imported customs figures and the ledger,
 * reserve on `beneficiary-<uscc>` (expected version = the ledger the award was computed on), claim each
 * P3b recruit on its own `beneficiary-<recruit>` stream (四（三）: once, ever, for one platform), commit on
 * `fund-<year>`, approve on `application-<id>`, confirm the reservation. A refusal after the reservation
 * releases what was taken, in reverse order (FundCommitmentReleased, RecruitClaimReleased,
 * ReservationReleased: compensation is recorded). Every
 * step's id derives from the approval command id, so a retry continues where the last attempt stopped.
 */
@Injectable()
export class ApprovalProcess {
  private readonly killAfterReservation = killAfterReservationFromEnv();

  constructor(
    private readonly aggregates: AggregateStore,
    private readonly customs: CustomsFiguresReader,
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
      if (theCase.status !== 'ready-for-decision') {
        throw new InvalidTransition('case', theCase.status, 'ApproveAward', 'allowed from ready-for-decision');
      }

      const uscc = theCase.beneficiary.uscc;
      const ledger = await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider);
      const earlier = ledger.state.reservations.find((r) => r.reservationId === reservationId);
      if (earlier?.status === 'reserved') {
        // A previous attempt of this same approval reserved and was cut off: finish it.
        return this.complete(uscc, reservationId, this.pendingOf(ledger.events, reservationId), ctx);
      }

      const decision = await this.decide(theCase, ledger.state, request, ctx.actor);
      const reserveCtx = this.stepCtx(ctx, reservationId, 'ReserveAward');
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
          reserveCtx,
          // The award was computed on this ledger: if another approval got in first, compute again.
          { expectedVersion: ledger.version, metadata: { approval: { ...decision.pending, commitmentId } } },
        );
      } catch (error) {
        if (!(error instanceof VersionConflict) || attempt >= MAX_ATTEMPTS) throw error;
        // Spread the retries of approvals that collided on one ledger, so they do not collide again.
        await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 3 * Math.min(attempt, 10))));
        continue;
      }
      if (this.killAfterReservation) process.kill(process.pid, 'SIGKILL');
      const reserved = await this.aggregates.load(beneficiaryStreamId(uscc), beneficiaryDecider);
      return this.complete(uscc, reservationId, this.pendingOf(reserved.events, reservationId), ctx);
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
      commandId: stepId(reservationId, 'resume'),
      correlationId: context.correlationId ?? reservationId,
      causationId: context.causationId ?? null,
      actor: context.actor ?? { user: 'approval-process', unit: 'SYSTEM', role: 'process' },
      now: context.now ?? this.clock.now(),
    };
    let pending: PendingApproval;
    try {
      pending = this.pendingOf(ledger.events, reservationId);
    } catch {
      const claims = { applicationId: held.applicationId, recruits: held.recruits };
      await this.compensate(uscc, held.year, reservationId, null, ctx, 'no pending approval recorded with the reservation', claims);
      return { outcome: 'released', reason: 'no pending approval recorded with the reservation' };
    }
    try {
      return { outcome: 'completed', approval: await this.complete(uscc, reservationId, pending, ctx) };
    } catch (error) {
      if (!(error instanceof DomainError || error instanceof WorkflowError)) throw error;
      return { outcome: 'released', reason: (error as Error).message };
    }
  }

  /** Claim the recruits, commit on the fund, approve on the case, confirm on the ledger; compensate on a refusal. */
  private async complete(uscc: string, reservationId: string, pending: PendingApproval, ctx: CommandContext): Promise<ApprovalOutcome> {
    const { applicationId, commitmentId } = pending;
    const loadedCase = await this.aggregates.load(caseStreamId(applicationId), caseDecider);
    const theCase = requireCase(loadedCase.state);
    const year = theCase.year;
    const claims = { applicationId, recruits: pending.recruits };
    if (theCase.status === 'approved' && theCase.approval?.reservationId === reservationId) {
      await this.confirm(uscc, reservationId, ctx);
      return this.answer(theCase, loadedCase, reservationId);
    }
    if (theCase.status !== 'ready-for-decision') {
      const reason = `the case is ${theCase.status}, no longer awaiting this approval`;
      await this.compensate(uscc, year, reservationId, commitmentId, ctx, reason, claims);
      throw new InvalidTransition('case', theCase.status, 'ApproveAward', 'allowed from ready-for-decision');
    }
    await this.claimRecruits(uscc, year, reservationId, claims, ctx);
    try {
      await this.aggregates.execute(
        fundStreamId(year),
        fundDecider,
        { type: 'CommitFunds', data: { year, commitmentId, applicationId, amountCny: pending.amountCny } },
        this.stepCtx(ctx, reservationId, 'CommitFunds'),
      );
    } catch (error) {
      if (error instanceof DomainError) {
        await this.compensate(uscc, year, reservationId, null, ctx, `fund ${year}: ${error.code}`, claims);
      }
      throw error;
    }
    let approved;
    try {
      approved = await this.aggregates.execute(
        caseStreamId(applicationId),
        caseDecider,
        {
          type: 'ApproveAward',
          data: {
            amountCny: pending.amountCny,
            computedCny: pending.computedCny,
            approvableCny: pending.approvableCny,
            reasonIfLower: pending.reasonIfLower,
            capApplied: pending.capApplied,
            trace: pending.trace,
            policyVersion: pending.policyVersion,
            customsEventIds: pending.customsEventIds,
            reservationId,
            commitmentId,
            approvedBy: pending.approvedBy,
          },
        },
        { ...this.stepCtx(ctx, reservationId, 'ApproveAward'), policyVersion: pending.policyVersion },
      );
    } catch (error) {
      if (error instanceof DomainError || error instanceof VersionConflict) {
        await this.compensate(uscc, year, reservationId, commitmentId, ctx, `case: ${(error as DomainError).code}`, claims);
      }
      throw error;
    }
    const confirmed = await this.confirm(uscc, reservationId, ctx);
    const state = approved.state as ExistingCase;
    return {
      applicationId,
      version: approved.version,
      position: Math.max(approved.position, confirmed),
      amountCny: pending.amountCny,
      computedCny: pending.computedCny,
      approvableCny: pending.approvableCny,
      capApplied: state.approval?.capApplied ?? pending.capApplied,
      reservationId,
      commitmentId,
    };
  }

  private async confirm(uscc: string, reservationId: string, ctx: CommandContext): Promise<number> {
    const result = await this.aggregates.execute(
      beneficiaryStreamId(uscc),
      beneficiaryDecider,
      { type: 'ConfirmReservation', data: { uscc, reservationId } },
      this.stepCtx(ctx, reservationId, 'ConfirmReservation'),
    );
    return result.position;
  }

  /**
   * 四（三）: each recruit counts once, ever, for one platform: claimed on the recruit's own ledger before
   * any money is committed, so of two platforms approved in the same instant only one is paid for it. A
   * repeat of this approval's own claim decides `[]` (same platform, year and application).
   */
  private async claimRecruits(
    platformUscc: string,
    year: number,
    reservationId: string,
    claims: { applicationId: string; recruits: readonly string[] },
    ctx: CommandContext,
  ): Promise<void> {
    const refused: RecruitAlreadyCounted[] = [];
    for (const uscc of claims.recruits) {
      try {
        await this.aggregates.execute(
          beneficiaryStreamId(uscc),
          beneficiaryDecider,
          { type: 'RecordRecruitCounted', data: { uscc, platformUscc, year, applicationId: claims.applicationId } },
          this.stepCtx(ctx, reservationId, `RecordRecruitCounted:${uscc}`),
        );
      } catch (error) {
        if (!(error instanceof RecruitAlreadyCounted)) {
          if (error instanceof DomainError) {
            await this.compensate(platformUscc, year, reservationId, null, ctx, `recruit ${uscc}: ${error.code}`, claims);
          }
          throw error;
        }
        refused.push(error);
      }
    }
    if (refused.length === 0) return;
    const usccs = refused.map((e) => e.uscc);
    await this.compensate(platformUscc, year, reservationId, null, ctx, `recruits counted by another platform: ${usccs.join(', ')}`, claims);
    throw new RecruitCountedElsewhere(
      usccs,
      refused.map((e) => ({ uscc: e.uscc, platformUscc: e.countedBy.platformUscc, applicationId: e.countedBy.applicationId })),
    );
  }

  /** Compensation, recorded as events, in reverse order of the steps taken. */
  private async compensate(
    uscc: string,
    year: number,
    reservationId: string,
    commitmentId: string | null,
    ctx: CommandContext,
    reason: string,
    claims: { applicationId: string; recruits: readonly string[] },
  ): Promise<void> {
    if (commitmentId) {
      const fund = await this.aggregates.load(fundStreamId(year), fundDecider);
      if (fund.state.commitments.get(commitmentId)) {
        await this.aggregates.execute(
          fundStreamId(year),
          fundDecider,
          { type: 'ReleaseCommitment', data: { year, commitmentId, reason } },
          this.stepCtx(ctx, reservationId, 'ReleaseCommitment'),
        );
      }
    }
    // Only this approval's own claims are released: the decider ignores a claim another platform holds.
    for (const recruit of [...claims.recruits].reverse()) {
      await this.aggregates.execute(
        beneficiaryStreamId(recruit),
        beneficiaryDecider,
        { type: 'ReleaseRecruitClaim', data: { uscc: recruit, platformUscc: uscc, applicationId: claims.applicationId, reason } },
        this.stepCtx(ctx, reservationId, `ReleaseRecruitClaim:${recruit}`),
      );
    }
    await this.aggregates.execute(
      beneficiaryStreamId(uscc),
      beneficiaryDecider,
      { type: 'ReleaseReservation', data: { uscc, reservationId, reason } },
      this.stepCtx(ctx, reservationId, 'ReleaseReservation'),
    );
  }

  /** The award, recomputed by the policy engine from the imported customs figures and the ledger. */
  private async decide(
    theCase: ExistingCase,
    ledger: BeneficiaryState,
    request: ApproveRequest,
    actor: Actor,
  ): Promise<{ requestedCny: string; pending: Omit<PendingApproval, 'commitmentId'> }> {
    const facts = await gatherApprovalInputs(this.aggregates, this.customs, theCase, ledger);
    const evaluation = evaluateFacts(facts, getPolicy(theCase.policyVersion));
    if (!evaluation.eligible) throw new AwardNotEligible(evaluation.reasons, evaluation.trace);

    const approvable = evaluation.amount;
    let amount = approvable;
    let reasonIfLower: string | null = null;
    if (request.amountCny !== undefined) {
      amount = Money.parse(request.amountCny, 'CNY', 'amountCny');
      if (amount.gt(approvable)) throw new AmountAboveComputed(amount.toString(), approvable.toString());
      if (amount.lt(approvable)) {
        reasonIfLower = request.reasonIfLower?.trim() || null;
        if (!reasonIfLower) throw new ReasonRequiredForLowerAmount(amount.toString(), approvable.toString());
      }
    }
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
        approvedBy: actor.user,
        recruits: evaluation.recruitsCounted ?? [],
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

  private stepCtx(ctx: CommandContext, reservationId: string, step: string): CommandContext {
    return { ...ctx, commandId: stepId(reservationId, step), causationId: ctx.causationId ?? ctx.commandId };
  }
}
