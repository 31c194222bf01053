import {
  AmountAboveLimit,
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

import type { CaseCommand } from './case.commands';
import {
  AmountAboveComputed,
  CaseNotFound,
  DisbursementAmountMismatch,
  OverdueAlreadyRecorded,
  ReasonRequiredForLowerAmount,
  ReviewNotPending,
  ReviewNotYetDue,
  WrongBeneficiaryKind,
} from './case.errors';
import type { CaseBeneficiary, CaseEvent, CaseStatus } from './case.events';
import type { CaseState, ExistingCase } from './case.state';

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
};

export function decideCase(command: CaseCommand, state: CaseState): CaseEvent[] {
  if (command.type === 'SubmitApplication') {
    if (state.status !== 'none') throw new InvalidTransition('case', state.status, command.type, 'the application already exists');
    return submit(command.data);
  }
  if (state.status === 'none') throw new CaseNotFound(command.type);
  const allowed = CASE_TRANSITIONS[command.type];
  if (!allowed.includes(state.status)) {
    throw new InvalidTransition('case', state.status, command.type, `allowed from ${allowed.join(', ')}`);
  }
  const applicationId = state.applicationId;
  switch (command.type) {
    case 'AcceptCase': {
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
      return approve(command.data, state);
    case 'RejectApplication':
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
  }
}

function submit(data: Extract<CaseCommand, { type: 'SubmitApplication' }>['data']): CaseEvent[] {
  const policy = policyOf(data.policyVersion);
  const program = programOf(data.program);
  const params = policy.programs[program];
  const beneficiary = beneficiaryOf(data.beneficiary);
  if (beneficiary.kind !== params.beneficiaryKind) {
    throw new WrongBeneficiaryKind(program, params.beneficiaryKind, beneficiary.kind);
  }
  return [
    {
      type: 'ApplicationSubmitted',
      data: {
        applicationId: requireText(data.applicationId, 'applicationId'),
        program,
        year: requireYear(data.year),
        beneficiary,
        claims: claimsOf(data.claims),
        leadUnit: params.leadUnit,
        cooperatingUnits: [...params.cooperatingUnits],
        policyVersion: policy.version,
        submittedBy: requireText(data.submittedBy, 'submittedBy'),
      },
    },
  ];
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
  if (amount.gt(approvable)) throw new AmountAboveComputed(amount.toString(), approvable.toString());
  const reason = typeof data.reasonIfLower === 'string' && data.reasonIfLower.trim() !== '' ? data.reasonIfLower : null;
  if (amount.lt(approvable) && reason === null) throw new ReasonRequiredForLowerAmount(amount.toString(), approvable.toString());
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
        reasonIfLower: amount.lt(approvable) ? reason : null,
        capApplied: data.capApplied ?? null,
        trace: data.trace.map((s) => ({ ...s })),
        policyVersion: requireText(data.policyVersion, 'policyVersion'),
        customsEventIds: [...data.customsEventIds],
        reservationId: requireText(data.reservationId, 'reservationId'),
        commitmentId: requireText(data.commitmentId, 'commitmentId'),
        approvedBy: requireText(data.approvedBy, 'approvedBy'),
      },
    },
  ];
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
