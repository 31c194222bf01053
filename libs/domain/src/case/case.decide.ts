import {
  DomainError,
  AmountAboveLimit,
  IdConflict,
  InvalidCommand,
  InvalidTransition,
  policyOf,
  programOf,
  requireCny,
  requireIsoDate,
  requireJsonObject,
  requireText,
  requireUscc,
  requireWithinLimit,
  requireYear,
} from '../decider';
import type { UnitCode } from '../policy/policy';
import { AMOUNT_LIMITS } from '../shared/amount-limits';
import { Money } from '../shared/money';
import { claimAmountsOverLimit } from './claim-limits';

import type { CaseCommand, ProactiveOpening } from './case.commands';
import {
  AmountAboveComputed,
  CaseNotFound,
  DisbursementAmountMismatch,
  FourEyes,
  NotInPublicity,
  OverdueAlreadyRecorded,
  PublicityNotOver,
  ReasonRequiredForLowerAmount,
  NoRecheckPending,
  RecheckLowerBeforePayment,
  RecoveryNotFound,
  RepaymentAboveOutstanding,
  ReviewNotPending,
  ReviewNotYetDue,
  WrongBeneficiaryKind,
  DeclarationsPending,
  NoDeclarationsPending,
  NoSupplementPending,
  SupplementCountersignPending,
  SupplementObjected,
} from './case.errors';
import type { CaseBeneficiary, CaseEvent, CaseStatus, RecheckComputation } from './case.events';
import { awardedCnyOf, type CaseState, type CaseSupplement, type ExistingCase } from './case.state';

/** The statuses from which each command may be taken (the case's state machine, docs/api.md's statuses). */
export const CASE_TRANSITIONS: Readonly<Record<Exclude<CaseCommand['type'], 'SubmitApplication'>, readonly CaseStatus[]>> = {
  AcceptCase: ['submitted'],
  // Before acceptance (incomplete file) or after an objection (四 + the countersign: the lead unit decides).
  ReturnForCorrection: ['submitted', 'objected'],
  ResubmitApplication: ['returned'],
  RecordReviewOpinion: ['under-review'],
  MarkReviewOverdue: ['under-review'],
  ApproveAward: ['ready-for-decision'],
  RejectApplication: ['submitted', 'objected', 'ready-for-decision'],
  DisburseAward: ['approved'],
  RecordPublicityObjection: ['approved'],
  UpholdAward: ['publicity-objected'],
  WithdrawAward: ['publicity-objected'],
  RevokeAward: ['approved', 'publicity-objected', 'disbursed'],
  RecordRepayment: ['revoked', 'disbursed'],
  FlagRecheck: ['approved', 'publicity-objected', 'disbursed'],
  RecordRecheck: ['approved', 'publicity-objected', 'disbursed'],
  ConfirmDeclarations: ['submitted'],
  RecordSupplementOpinion: ['approved', 'publicity-objected', 'disbursed'],
  ApproveSupplement: ['approved', 'publicity-objected', 'disbursed'],
  DisburseSupplement: ['approved', 'disbursed'],
};

/**
 * The refusal of `command` on a case in `status` (null when the state machine allows it): the decider's own
 * check, exported so that a process spanning several streams asks the case before it takes a first step.
 */
export function caseTransitionRefusal(status: CaseStatus, command: keyof typeof CASE_TRANSITIONS): InvalidTransition | null {
  const allowed = CASE_TRANSITIONS[command];
  return allowed.includes(status) ? null : new InvalidTransition('case', status, command, `allowed from ${allowed.join(', ')}`);
}

/**
 * The amount the head approves: the approvable award (after caps) unless they name a lower one with a
 * reason; never more. The case decider applies it to ApproveAward and the approval before it reserves.
 */
export function approvedAmountOf(
  requested: { amountCny?: unknown; reasonIfLower?: unknown },
  approvable: Money,
): { amount: Money; reasonIfLower: string | null } {
  if (requested.amountCny === undefined || requested.amountCny === null) return { amount: approvable, reasonIfLower: null };
  const amount = requireCny(requested.amountCny, 'amountCny');
  if (amount.gt(approvable)) throw new AmountAboveComputed(amount.toString(), approvable.toString());
  const reason = typeof requested.reasonIfLower === 'string' && requested.reasonIfLower.trim() !== '' ? requested.reasonIfLower.trim() : null;
  if (amount.lt(approvable) && reason === null) throw new ReasonRequiredForLowerAmount(amount.toString(), approvable.toString());
  return { amount, reasonIfLower: amount.lt(approvable) ? reason : null };
}

/**
 * 公示 first: payment waits for the publicity's last day, unless the lead unit upheld the award after an
 * objection. The decider's own check, exported so that payment asks it before the fund moves.
 */
export function publicityRefusal(state: ExistingCase, asOfDate: string): PublicityNotOver | null {
  const publicity = state.approval?.publicity;
  if (!publicity || state.afterDecision.upheld || asOfDate > publicity.until) return null;
  return new PublicityNotOver(publicity.until, asOfDate);
}

export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'SubmitApplication') {
    if (state.status !== 'none') throw new InvalidTransition('case', state.status, command.type, 'the application already exists');
    return submit(command.data);
  }
  if (state.status === 'none') throw new CaseNotFound(command.type);
  const refusal = caseTransitionRefusal(state.status, command.type);
  if (refusal) throw refusal;
  const applicationId = state.applicationId;
  switch (command.type) {
    case 'AcceptCase': {
      // 免申即享: the enterprise's declarations first (the rule needs them; nothing is decided on an assumption).
      if (state.proactive && state.proactive.confirmedBy === null) throw new DeclarationsPending(state.proactive.declarationsPending);
      const dueDate = requireIsoDate(command.data.dueDate, 'dueDate');
      const round = state.round + 1;
      const accepted: CaseEvent = {
        type: 'CaseAccepted',
        data: {
          applicationId,
          round,
          reviews: state.cooperatingUnits.map((unit) => ({ unit, dueDate })),
          acceptedBy: requireText(command.data.acceptedBy, 'acceptedBy'),
          ...calendarNotesOf(command.data.calendarNotes),
        },
      };
      // A program whose policy names no cooperating unit has nothing to countersign.
      if (state.cooperatingUnits.length === 0) {
        return [accepted, { type: 'ApplicationReadyForDecision', data: { applicationId, round } }];
      }
      return [accepted];
    }
    case 'ReturnForCorrection':
      return [
        {
          type: 'ApplicationReturned',
          data: {
            applicationId,
            reason: requireText(command.data.reason, 'reason'),
            fromStatus: state.status,
            returnedBy: requireText(command.data.returnedBy, 'returnedBy'),
          },
        },
      ];
    case 'ResubmitApplication':
      requireFreshEyes(state, command.data.resubmittedBy, 'resubmit', ['countersign']);
      return [
        {
          type: 'ApplicationResubmitted',
          data: {
            applicationId,
            claims: claimsOf(command.data.claims),
            resubmittedBy: requireText(command.data.resubmittedBy, 'resubmittedBy'),
          },
        },
      ];
    case 'RecordReviewOpinion':
      return recordOpinion(command.data, state);
    case 'MarkReviewOverdue':
      return markOverdue(command.data, state);
    case 'ApproveAward':
      requireFreshEyes(state, command.data.approvedBy, 'approve', ['submission', 'countersign']);
      return approve(command.data, state);
    case 'RejectApplication':
      requireFreshEyes(state, command.data.rejectedBy, 'reject', ['submission', 'countersign']);
      return [
        {
          type: 'ApplicationRejected',
          data: {
            applicationId,
            reason: requireText(command.data.reason, 'reason'),
            fromStatus: state.status,
            rejectedBy: requireText(command.data.rejectedBy, 'rejectedBy'),
          },
        },
      ];
    case 'DisburseAward': {
      const amount = requireCny(command.data.amountCny, 'amountCny');
      const approved = state.approval!.amountCny;
      if (!amount.equals(Money.cny(approved))) throw new DisbursementAmountMismatch(amount.toString(), approved);
      if (state.approval!.publicity) {
        const notOver = publicityRefusal(state, requireIsoDate(command.data.asOfDate, 'asOfDate'));
        if (notOver) throw notOver;
      }
      return [
        {
          type: 'AwardDisbursed',
          data: {
            applicationId,
            paymentRef: requireText(command.data.paymentRef, 'paymentRef'),
            amountCny: amount.toString(),
            commitmentId: state.approval!.commitmentId,
            disbursedBy: requireText(command.data.disbursedBy, 'disbursedBy'),
          },
        },
      ];
    }
    case 'RecordPublicityObjection': {
      const asOfDate = requireIsoDate(command.data.asOfDate, 'asOfDate');
      const publicity = state.approval!.publicity;
      if (!publicity || state.afterDecision.upheld || asOfDate > publicity.until) throw new NotInPublicity(publicity?.until ?? null, asOfDate);
      return [
        {
          type: 'PublicityObjectionRecorded',
          data: {
            applicationId,
            source: requireText(command.data.source, 'source'),
            detail: requireText(command.data.detail, 'detail'),
            asOfDate,
            recordedBy: requireText(command.data.recordedBy, 'recordedBy'),
          },
        },
      ];
    }
    case 'UpholdAward':
      return [
        {
          type: 'AwardUpheld',
          data: { applicationId, reason: requireText(command.data.reason, 'reason'), upheldBy: requireText(command.data.upheldBy, 'upheldBy') },
        },
      ];
    case 'WithdrawAward': {
      const a = state.approval!;
      return [
        {
          type: 'AwardWithdrawn',
          data: {
            applicationId,
            reason: requireText(command.data.reason, 'reason'),
            amountCny: a.amountCny,
            reservationId: a.reservationId,
            commitmentId: a.commitmentId,
            withdrawnBy: requireText(command.data.withdrawnBy, 'withdrawnBy'),
          },
        },
      ];
    }
    case 'RevokeAward':
      return revoke(command.data, state);
    case 'RecordRepayment':
      return repay(command.data, state);
    case 'FlagRecheck':
      return flagRecheck(command.data, state);
    case 'RecordRecheck':
      return recordRecheck(command.data, state);
    case 'ConfirmDeclarations':
      return confirmDeclarations(command.data, state);
    case 'RecordSupplementOpinion':
      return supplementOpinion(command.data, state);
    case 'ApproveSupplement':
      return approveSupplement(command.data, state);
    case 'DisburseSupplement':
      return disburseSupplement(command.data, state);
  }
}

/** The supplementary award (补发) still open: not yet approved (one at a time). */
export function openSupplement(state: ExistingCase): CaseSupplement | null {
  return state.supplements.find((s) => s.approved === null && s.objectedBy === null) ?? null;
}

/**
 * May the head approve the supplement now? Its countersign is complete (or skipped by the policy version) and no
 * unit objected. The decider's own check, exported so that the 补发 saga asks it before it reserves anything.
 */
export function supplementApprovalRefusal(state: ExistingCase, supplementId: string): DomainError | null {
  const supplement = state.supplements.find((s) => s.supplementId === supplementId);
  if (!supplement || supplement.approved) return new NoSupplementPending();
  const refusal = caseTransitionRefusal(state.status, 'ApproveSupplement');
  if (refusal) return refusal;
  if (supplement.objectedBy) return new SupplementObjected(supplement.objectedBy);
  if (supplement.pendingUnits.length) return new SupplementCountersignPending(supplement.pendingUnits);
  return null;
}

function supplementOpinion(data: Extract<CaseCommand, { type: 'RecordSupplementOpinion' }>['data'], state: ExistingCase): CaseEvent[] {
  const supplement = openSupplement(state);
  if (!supplement) throw new NoSupplementPending();
  const unit = requireText(data.unit, 'unit') as UnitCode;
  if (data.verdict !== 'approve' && data.verdict !== 'reject')
    throw new InvalidCommand('verdict', `must be "approve" or "reject", got ${JSON.stringify(data.verdict)}`);
  if (typeof data.comment !== 'string') throw new InvalidCommand('comment', 'must be a string');
  if (data.verdict === 'reject' && data.comment.trim() === '') throw new InvalidCommand('comment', 'a reject opinion must say why');
  if (!supplement.pendingUnits.includes(unit)) throw new ReviewNotPending(unit, 0, 'no opinion on this supplementary award is awaited from it');
  const author = requireText(data.author, 'author');
  const other = supplement.opinions.find((o) => o.author === author);
  if (other) throw new FourEyes(author, `record ${unit}'s opinion on the supplementary award`, `recorded ${other.unit}'s opinion on`);
  return [
    {
      type: 'SupplementOpinionRecorded',
      data: { applicationId: state.applicationId, supplementId: supplement.supplementId, unit, verdict: data.verdict, comment: data.comment, author },
    },
  ];
}

function approveSupplement(data: Extract<CaseCommand, { type: 'ApproveSupplement' }>['data'], state: ExistingCase): CaseEvent[] {
  const supplementId = requireText(data.supplementId, 'supplementId');
  const refusal = supplementApprovalRefusal(state, supplementId);
  if (refusal) throw refusal;
  const supplement = state.supplements.find((s) => s.supplementId === supplementId)!;
  const approvedBy = requireText(data.approvedBy, 'approvedBy');
  const countersigner = supplement.opinions.find((o) => o.author === approvedBy);
  if (countersigner) throw new FourEyes(approvedBy, 'approve the supplementary award', `recorded ${countersigner.unit}'s opinion on`);
  const amount = Money.cny(supplement.differenceCny);
  return [
    {
      type: 'SupplementaryAwardApproved',
      data: {
        applicationId: state.applicationId,
        supplementId,
        amountCny: amount.toString(),
        totalCny: Money.cny(awardedCnyOf(state)).add(amount).toString(),
        commitmentId: requireText(data.commitmentId, 'commitmentId'),
        reservationId: state.approval!.reservationId,
        approvedBy,
      },
    },
  ];
}

function disburseSupplement(data: Extract<CaseCommand, { type: 'DisburseSupplement' }>['data'], state: ExistingCase): CaseEvent[] {
  const supplementId = requireText(data.supplementId, 'supplementId');
  const supplement = state.supplements.find((s) => s.supplementId === supplementId);
  if (!supplement || !supplement.approved || supplement.paid) throw new NoSupplementPending();
  return [
    {
      type: 'SupplementDisbursed',
      data: {
        applicationId: state.applicationId,
        supplementId,
        paymentRef: requireText(data.paymentRef, 'paymentRef'),
        amountCny: supplement.approved.amountCny,
        commitmentId: supplement.approved.commitmentId,
        disbursedBy: requireText(data.disbursedBy, 'disbursedBy'),
      },
    },
  ];
}

/** 免申即享: every pending declaration is given, once; the claims become the case's claims with them. */
function confirmDeclarations(data: Extract<CaseCommand, { type: 'ConfirmDeclarations' }>['data'], state: ExistingCase): CaseEvent[] {
  if (!state.proactive || state.proactive.confirmedBy !== null) throw new NoDeclarationsPending();
  const declarations = requireJsonObject(data.declarations, 'declarations');
  const missing = state.proactive.declarationsPending.filter((k) => !(k in declarations));
  if (missing.length) throw new InvalidCommand(`declarations.${missing[0]}`, `the rule needs it declared: ${missing.join(', ')}`);
  return [
    {
      type: 'DeclarationsConfirmed',
      data: {
        applicationId: state.applicationId,
        declarations,
        claims: claimsOf({ ...state.claims, ...declarations }),
        confirmedBy: requireText(data.confirmedBy, 'confirmedBy'),
      },
    },
  ];
}

function proactiveOf(value: unknown, applicationId: string): CaseEvent {
  const p = (value ?? {}) as Partial<ProactiveOpening>;
  if (!Array.isArray(p.declarationsPending) || p.declarationsPending.some((k) => typeof k !== 'string' || k === '')) {
    throw new InvalidCommand('proactive.declarationsPending', 'must list the claims the enterprise declares');
  }
  const c = (p.computation ?? {}) as Partial<ProactiveOpening['computation']>;
  if (!Array.isArray(c.trace) || c.trace.length === 0 || !Array.isArray(c.customsEventIds)) {
    throw new InvalidCommand('proactive.computation', 'must carry the trace of the computation on the customs statistics and the customs events it read');
  }
  return {
    type: 'ProactiveCaseOpened',
    data: {
      applicationId,
      openedBy: requireText(p.openedBy, 'proactive.openedBy'),
      declarationsPending: [...p.declarationsPending],
      computation: {
        computedCny: requireCny(c.computedCny, 'proactive.computation.computedCny').toString(),
        amountCny: c.amountCny === null || c.amountCny === undefined ? null : requireCny(c.amountCny, 'proactive.computation.amountCny').toString(),
        trace: c.trace.map((t) => ({ ...t })),
        customsEventIds: [...c.customsEventIds],
      },
    },
  };
}

function computation(value: unknown, field: string): RecheckComputation {
  const c = (value ?? {}) as Partial<RecheckComputation>;
  if (!Array.isArray(c.trace) || !Array.isArray(c.customsEventIds)) throw new InvalidCommand(field, 'must carry the trace and the customs events it read');
  return {
    computedCny: requireCny(c.computedCny, `${field}.computedCny`).toString(),
    approvableCny: requireCny(c.approvableCny, `${field}.approvableCny`).toString(),
    trace: c.trace.map((t) => ({ ...t })),
    customsEventIds: [...c.customsEventIds],
  };
}

/** 复核 is flagged once per revision: the same revision events again decide nothing. */
function flagRecheck(data: Extract<CaseCommand, { type: 'FlagRecheck' }>['data'], state: ExistingCase): CaseEvent[] {
  if (!Array.isArray(data.revisionEventIds) || data.revisionEventIds.length === 0) throw new InvalidCommand('revisionEventIds', 'must name the revisions');
  const ids = [...data.revisionEventIds].sort();
  const flagged = [state.afterDecision.recheck, ...state.afterDecision.rechecks].flatMap((r) => (r ? [r.revisionEventIds.join(' ')] : []));
  const seen = flagged.includes(ids.join(' '));
  if (seen) return [];
  return [
    {
      type: 'RecheckRequired',
      data: {
        applicationId: state.applicationId,
        revisionEventIds: ids,
        approvedCny: awardedCnyOf(state),
        decided: computation(data.decided, 'decided'),
        revised: computation(data.revised, 'revised'),
        flaggedOn: requireIsoDate(data.flaggedOn, 'flaggedOn'),
      },
    },
  ];
}

/**
 * What the pending recheck comes to: the revised approvable amount against what the award counts for. The
 * decider's own reading, exported so that the recheck's saga plans the steps that follow (lowering in place).
 */
export function recheckOutcomeOf(state: ExistingCase): {
  recheck: NonNullable<ExistingCase['afterDecision']['recheck']>;
  outcome: 'unchanged' | 'lower' | 'higher';
  approved: Money;
  revised: Money;
  difference: Money;
} {
  const recheck = state.afterDecision.recheck;
  if (!recheck) throw new NoRecheckPending();
  const approved = Money.cny(recheck.approvedCny);
  const revised = Money.cny(recheck.revised.approvableCny);
  const outcome = revised.equals(approved) ? 'unchanged' : revised.lt(approved) ? 'lower' : 'higher';
  const difference = outcome === 'lower' ? approved.sub(revised) : outcome === 'higher' ? revised.sub(approved) : Money.cny('0.00');
  return { recheck, outcome, approved, revised, difference };
}

/**
 * The outcome follows from the two computations (the lead unit records that it checked, and who): the
 * revised approvable amount against what was approved. Lower and paid: the difference is recovered.
 */
function recordRecheck(data: Extract<CaseCommand, { type: 'RecordRecheck' }>['data'], state: ExistingCase): CaseEvent[] {
  const { recheck, outcome, approved, revised, difference } = recheckOutcomeOf(state);
  const checkedBy = requireText(data.checkedBy, 'checkedBy');
  const recorded: CaseEvent = {
    type: 'RecheckRecorded',
    data: {
      applicationId: state.applicationId,
      revisionEventIds: recheck.revisionEventIds,
      outcome,
      approvedCny: approved.toString(),
      revisedCny: revised.toString(),
      differenceCny: difference.toString(),
      checkedBy,
    },
  };
  if (outcome === 'unchanged') return [recorded];
  if (outcome === 'higher') {
    // 补发 through the normal approval: countersign (unless the policy version skips it), then the head's decision.
    if (openSupplement(state)) throw new InvalidTransition('case', state.status, 'RecordRecheck', 'a supplementary award is still open on this case');
    const s = data.supplement;
    if (!s) throw new InvalidCommand('supplement', 'a higher award is rechecked with its supplementary award (supplementId, skipCountersign, dueDate)');
    const skipped = s.skipCountersign === true;
    const dueDate = skipped ? null : requireIsoDate(s.dueDate, 'supplement.dueDate');
    return [
      recorded,
      {
        type: 'SupplementaryAwardOpened',
        data: {
          applicationId: state.applicationId,
          supplementId: requireText(s.supplementId, 'supplement.supplementId'),
          differenceCny: difference.toString(),
          revisedCny: revised.toString(),
          countersignSkipped: skipped,
          reviews: skipped ? [] : state.cooperatingUnits.map((unit) => ({ unit, dueDate: dueDate! })),
        },
      },
    ];
  }
  if (state.status !== 'disbursed') {
    // Not paid yet: lowered in place (the fund's commitment and the ledger's hold follow); nothing left is no award: revoke or withdraw it.
    if (revised.isZero() || state.supplements.some((x) => x.approved)) throw new RecheckLowerBeforePayment(approved.toString(), revised.toString());
    const a = state.approval!;
    return [
      recorded,
      {
        type: 'AwardLowered',
        data: {
          applicationId: state.applicationId,
          loweringId: requireText(data.loweringId, 'loweringId'),
          fromCny: approved.toString(),
          toCny: revised.toString(),
          differenceCny: difference.toString(),
          reservationId: a.reservationId,
          commitmentId: a.commitmentId,
          loweredBy: checkedBy,
        },
      },
    ];
  }
  if (!data.recovery) throw new InvalidCommand('recovery', 'a lower award already paid is rechecked with a recovery order (recoveryId, dueDate)');
  return [
    recorded,
    {
      type: 'RecoveryOrdered',
      data: {
        applicationId: state.applicationId,
        recoveryId: requireText(data.recovery.recoveryId, 'recovery.recoveryId'),
        amountCny: difference.toString(),
        dueDate: requireIsoDate(data.recovery.dueDate, 'recovery.dueDate'),
        cause: 'revision',
        orderedBy: checkedBy,
      },
    },
  ];
}

function revoke(data: Extract<CaseCommand, { type: 'RevokeAward' }>['data'], state: ExistingCase): CaseEvent[] {
  const a = state.approval!;
  const revokedBy = requireText(data.revokedBy, 'revokedBy');
  const revoked: CaseEvent = {
    type: 'AwardRevoked',
    data: {
      applicationId: state.applicationId,
      reason: requireText(data.reason, 'reason'),
      evidenceRef: requireText(data.evidenceRef, 'evidenceRef'),
      fromStatus: state.status,
      amountCny: a.amountCny,
      reservationId: a.reservationId,
      commitmentId: a.commitmentId,
      revokedBy,
    },
  };
  if (state.status !== 'disbursed') return [revoked];
  // Paid: the whole amount is recovered (追回).
  if (!data.recovery) throw new InvalidCommand('recovery', 'a paid award is revoked with a recovery order (recoveryId, dueDate)');
  const paid = state.disbursement!.amountCny;
  return [
    revoked,
    {
      type: 'RecoveryOrdered',
      data: {
        applicationId: state.applicationId,
        recoveryId: requireText(data.recovery.recoveryId, 'recovery.recoveryId'),
        amountCny: paid,
        dueDate: requireIsoDate(data.recovery.dueDate, 'recovery.dueDate'),
        cause: 'revocation',
        orderedBy: revokedBy,
      },
    },
  ];
}

function repay(data: Extract<CaseCommand, { type: 'RecordRepayment' }>['data'], state: ExistingCase): CaseEvent[] {
  const recoveryId = requireText(data.recoveryId, 'recoveryId');
  const repaymentRef = requireText(data.repaymentRef, 'repaymentRef');
  const recovery = state.recoveries.find((r) => r.recoveryId === recoveryId);
  if (!recovery) throw new RecoveryNotFound(recoveryId);
  const amount = requireCny(data.amountCny, 'amountCny');
  if (amount.isZero()) throw new InvalidCommand('amountCny', 'must be more than 0.00');
  // The bank's reference names one repayment: recording it again is the same repayment.
  const earlier = state.recoveries.flatMap((r) => r.repayments.map((p) => ({ ...p, recoveryId: r.recoveryId }))).find((p) => p.repaymentRef === repaymentRef);
  if (earlier) {
    if (earlier.recoveryId !== recoveryId || earlier.amountCny !== amount.toString()) {
      throw new IdConflict('repaymentRef', repaymentRef, `it recorded ${earlier.amountCny} on ${earlier.recoveryId}`);
    }
    return [];
  }
  const outstanding = Money.cny(recovery.outstandingCny);
  if (amount.gt(outstanding)) throw new RepaymentAboveOutstanding(amount.toString(), recovery.outstandingCny);
  const after = outstanding.sub(amount);
  const recorded: CaseEvent = {
    type: 'RepaymentRecorded',
    data: {
      applicationId: state.applicationId,
      recoveryId,
      repaymentRef,
      amountCny: amount.toString(),
      outstandingCny: after.toString(),
      recordedBy: requireText(data.recordedBy, 'recordedBy'),
    },
  };
  if (!after.isZero()) return [recorded];
  return [recorded, { type: 'RecoverySettled', data: { applicationId: state.applicationId, recoveryId, amountCny: recovery.amountCny } }];
}

function submit(data: Extract<CaseCommand, { type: 'SubmitApplication' }>['data']): CaseEvent[] {
  const policy = policyOf(data.policyVersion);
  const program = programOf(data.program);
  const params = policy.programs[program];
  const beneficiary = beneficiaryOf(data.beneficiary);
  if (beneficiary.kind !== params.beneficiaryKind) {
    throw new WrongBeneficiaryKind(program, params.beneficiaryKind, beneficiary.kind);
  }
  const applicationId = requireText(data.applicationId, 'applicationId');
  const submitted: CaseEvent = {
    type: 'ApplicationSubmitted',
    data: {
      applicationId,
      program,
      year: requireYear(data.year),
      beneficiary,
      claims: claimsOf(data.claims),
      leadUnit: params.leadUnit,
      cooperatingUnits: [...params.cooperatingUnits],
      policyVersion: policy.version,
      submittedBy: requireText(data.submittedBy, 'submittedBy'),
    },
  };
  return data.proactive === undefined ? [submitted] : [submitted, proactiveOf(data.proactive, applicationId)];
}

/**
 * Four eyes (docs/policy.md: submission, countersign 会签 and decision are separate hands): `user` may
 * not take this step when they already took one of the `earlier` steps of the case. A cooperating unit
 * answers once per round, so one person's opinions in later rounds are the same step, not a second one.
 */
function requireFreshEyes(state: ExistingCase, user: unknown, step: string, earlier: readonly ('submission' | 'countersign')[], opinionUnit?: string): void {
  if (typeof user !== 'string') return; // the step's own requireText names the missing field
  if (earlier.includes('submission') && state.submitters.includes(user)) throw new FourEyes(user, step, 'submitted');
  const ownOpinions = state.opinions.filter((o) => o.author === user && o.unit !== opinionUnit);
  if (earlier.includes('countersign') && ownOpinions.length > 0) throw new FourEyes(user, step, `recorded ${ownOpinions[0].unit}'s countersign opinion on`);
}

function recordOpinion(data: Extract<CaseCommand, { type: 'RecordReviewOpinion' }>['data'], state: ExistingCase): CaseEvent[] {
  const unit = requireText(data.unit, 'unit') as UnitCode;
  if (data.verdict !== 'approve' && data.verdict !== 'reject') {
    throw new InvalidCommand('verdict', `must be "approve" or "reject", got ${JSON.stringify(data.verdict)}`);
  }
  if (typeof data.comment !== 'string') throw new InvalidCommand('comment', 'must be a string');
  // A reject sends the case back to the lead unit, who must be able to tell the applicant why.
  if (data.verdict === 'reject' && data.comment.trim() === '') {
    throw new InvalidCommand('comment', 'a reject opinion must say why');
  }
  requireFreshEyes(state, data.author, `record ${unit}'s countersign opinion`, ['submission', 'countersign'], unit);
  if (!state.pendingReviews.some((r) => r.unit === unit)) {
    const answered = state.opinions.some((o) => o.round === state.round && o.unit === unit);
    throw new ReviewNotPending(unit, state.round, answered ? 'its opinion for this round is already recorded' : 'it is not a cooperating unit of this case');
  }
  const opinion: CaseEvent = {
    type: 'ReviewOpinionRecorded',
    data: {
      applicationId: state.applicationId,
      round: state.round,
      unit,
      verdict: data.verdict,
      comment: data.comment,
      author: requireText(data.author, 'author'),
    },
  };
  const stillPending = state.pendingReviews.filter((r) => r.unit !== unit).map((r) => r.unit);
  if (data.verdict === 'reject') {
    return [
      opinion,
      {
        type: 'ApplicationObjected',
        data: { applicationId: state.applicationId, round: state.round, objectingUnit: unit, withdrawnReviews: stillPending },
      },
    ];
  }
  if (stillPending.length === 0) {
    return [opinion, { type: 'ApplicationReadyForDecision', data: { applicationId: state.applicationId, round: state.round } }];
  }
  return [opinion];
}

function markOverdue(data: Extract<CaseCommand, { type: 'MarkReviewOverdue' }>['data'], state: ExistingCase): CaseEvent[] {
  const unit = requireText(data.unit, 'unit') as UnitCode;
  const asOfDate = requireIsoDate(data.asOfDate, 'asOfDate');
  if (state.overdueReviews.some((o) => o.unit === unit && o.round === data.round)) {
    throw new OverdueAlreadyRecorded(unit, data.round);
  }
  const review = state.pendingReviews.find((r) => r.unit === unit);
  if (data.round !== state.round || !review) {
    throw new ReviewNotPending(unit, data.round, data.round !== state.round ? `the current round is ${state.round}` : 'no review awaited');
  }
  // ISO dates compare as strings; overdue from the day after the due date.
  if (asOfDate <= review.dueDate) throw new ReviewNotYetDue(unit, review.dueDate, asOfDate);
  return [
    {
      type: 'ReviewOverdue',
      data: { applicationId: state.applicationId, round: state.round, unit, dueDate: review.dueDate, asOfDate },
    },
  ];
}

function approve(data: Extract<CaseCommand, { type: 'ApproveAward' }>['data'], state: ExistingCase): CaseEvent[] {
  const amount = requireCny(data.amountCny, 'amountCny');
  const computed = requireWithinLimit('computedCny', requireCny(data.computedCny, 'computedCny'), AMOUNT_LIMITS.computedAwardCny);
  const approvable = requireCny(data.approvableCny, 'approvableCny');
  if (approvable.gt(computed)) throw new InvalidCommand('approvableCny', `caps only lower an award: ${approvable} is above the computed ${computed}`);
  if (amount.isZero()) throw new InvalidCommand('amountCny', 'an approved award must be more than 0.00');
  const { reasonIfLower } = approvedAmountOf(data, approvable);
  if (!Array.isArray(data.trace) || data.trace.length === 0) {
    throw new InvalidCommand('trace', 'the decision must carry the trace that explains its amount');
  }
  if (!Array.isArray(data.customsEventIds) || data.customsEventIds.some((id) => typeof id !== 'string' || id === '')) {
    throw new InvalidCommand('customsEventIds', 'must be an array of event ids');
  }
  return [
    {
      type: 'AwardApproved',
      data: {
        applicationId: state.applicationId,
        program: state.program,
        year: state.year,
        uscc: state.beneficiary.uscc,
        amountCny: amount.toString(),
        computedCny: computed.toString(),
        approvableCny: approvable.toString(),
        reasonIfLower,
        capApplied: data.capApplied ?? null,
        trace: data.trace.map((s) => ({ ...s })),
        policyVersion: requireText(data.policyVersion, 'policyVersion'),
        customsEventIds: [...data.customsEventIds],
        reservationId: requireText(data.reservationId, 'reservationId'),
        commitmentId: requireText(data.commitmentId, 'commitmentId'),
        approvedBy: requireText(data.approvedBy, 'approvedBy'),
        publicity: publicityOf(data.publicity),
      },
    },
  ];
}

function publicityOf(value: unknown): { from: string; until: string; workingDays: number } | null {
  if (value === undefined || value === null) return null;
  const p = value as { from?: unknown; until?: unknown; workingDays?: unknown };
  const from = requireIsoDate(p.from, 'publicity.from');
  const until = requireIsoDate(p.until, 'publicity.until');
  if (until < from) throw new InvalidCommand('publicity.until', `ends ${until}, before it starts ${from}`);
  if (typeof p.workingDays !== 'number' || !Number.isInteger(p.workingDays) || p.workingDays < 1) {
    throw new InvalidCommand('publicity.workingDays', 'must be a whole number of working days, at least 1');
  }
  return { from, until, workingDays: p.workingDays };
}

/** Claims as stored: JSON values only, every money figure within its limit (docs/limits.md, "Amounts"). */
function claimsOf(value: unknown): ReturnType<typeof requireJsonObject> {
  const claims = requireJsonObject(value, 'claims');
  const over = claimAmountsOverLimit(claims);
  if (over.length) throw new AmountAboveLimit(over);
  return claims;
}

function beneficiaryOf(value: unknown): CaseBeneficiary {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidCommand('beneficiary', 'must be an object { uscc, kind, manufacturing?, name? }');
  }
  const b = value as Record<string, unknown>;
  const kind = b.kind;
  if (kind !== 'enterprise' && kind !== 'platform' && kind !== 'park') {
    throw new InvalidCommand('beneficiary.kind', `must be enterprise, platform or park, got ${JSON.stringify(kind)}`);
  }
  const out: CaseBeneficiary = { uscc: requireUscc(b.uscc, 'beneficiary.uscc'), kind };
  if (b.manufacturing !== undefined) {
    if (typeof b.manufacturing !== 'boolean') throw new InvalidCommand('beneficiary.manufacturing', 'must be a boolean');
    out.manufacturing = b.manufacturing;
  }
  if (b.name !== undefined) out.name = requireText(b.name, 'beneficiary.name');
  return out;
}

/** The acceptance's calendar notes, kept only when there are any (an event without them reads as none). */
function calendarNotesOf(value: unknown): { calendarNotes?: string[] } {
  if (value === undefined) return {};
  if (!Array.isArray(value) || value.some((n) => typeof n !== 'string' || n.trim() === '')) {
    throw new InvalidCommand('calendarNotes', 'must be a list of non-empty strings (calendar-missing:<year>)');
  }
  return value.length ? { calendarNotes: [...new Set(value as string[])].sort() } : {};
}
