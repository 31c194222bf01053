import fc from 'fast-check';
import { deciderSpec, DomainError, evolveAll, IdConflict, InvalidCommand, InvalidTransition } from '../decider';
import { Money } from '../shared/money';
import { usccCheckCharacter } from '../shared/uscc';
import type { CaseCommand } from './case.commands';
import { CASE_TRANSITIONS } from './case.decide';
import { caseDecider } from './case.decider';
import {
  AmountAboveComputed,
  CaseNotFound,
  DisbursementAmountMismatch,
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
  FourEyes,
} from './case.errors';
import { CASE_STATUSES, type CaseEvent, type CaseStatus } from './case.events';
import type { ExistingCase } from './case.state';
import { EVENT_UPCASTERS } from '../events/upcasters';

const uscc = (first17: string): string => first17 + usccCheckCharacter(first17);
const ENTERPRISE = uscc('91341500MA2N00001');
const id = 'app-1';
const given = deciderSpec(caseDecider);

const submit: CaseCommand = {
  type: 'SubmitApplication',
  data: {
    applicationId: id,
    program: 'P2b',
    year: 2019,
    beneficiary: { uscc: ENTERPRISE, kind: 'enterprise', manufacturing: false, name: '六安跨境电商有限公司' },
    claims: { promotesOnThirdPartyPlatform: true },
    submittedBy: 'applicant-1',
  },
};
const submitted: CaseEvent = {
  type: 'ApplicationSubmitted',
  data: {
    applicationId: id,
    program: 'P2b',
    year: 2019,
    beneficiary: { uscc: ENTERPRISE, kind: 'enterprise', manufacturing: false, name: '六安跨境电商有限公司' },
    claims: { promotesOnThirdPartyPlatform: true },
    leadUnit: 'FIN',
    cooperatingUnits: ['COM', 'CUS', 'PBC'],
    policyVersion: 'LZB-2019-4',
    submittedBy: 'applicant-1',
  },
};
const accepted = (round: number, dueDate = '2020-03-16'): CaseEvent => ({
  type: 'CaseAccepted',
  data: {
    applicationId: id,
    round,
    reviews: [
      { unit: 'COM', dueDate },
      { unit: 'CUS', dueDate },
      { unit: 'PBC', dueDate },
    ],
    acceptedBy: 'fin-officer',
  },
});
const opinion = (unit: 'COM' | 'CUS' | 'PBC', verdict: 'approve' | 'reject', round = 1): CaseEvent => ({
  type: 'ReviewOpinionRecorded',
  data: { applicationId: id, round, unit, verdict, comment: verdict === 'reject' ? 'figures do not match' : 'ok', author: `${unit.toLowerCase()}-reviewer` },
});
const objected: CaseEvent = {
  type: 'ApplicationObjected',
  data: { applicationId: id, round: 1, objectingUnit: 'CUS', withdrawnReviews: ['PBC'] },
};
const ready = (round = 1): CaseEvent => ({ type: 'ApplicationReadyForDecision', data: { applicationId: id, round } });
const returned: CaseEvent = {
  type: 'ApplicationReturned',
  data: { applicationId: id, reason: 'invoice missing', fromStatus: 'submitted', returnedBy: 'fin-officer' },
};
const approveCommand = (over: Partial<Extract<CaseCommand, { type: 'ApproveAward' }>['data']> = {}): CaseCommand => ({
  type: 'ApproveAward',
  data: {
    amountCny: '4000.00',
    computedCny: '4000.00',
    approvableCny: '4000.00',
    trace: [{ step: 'increment', value: 'USD 149999.99', source: 'customs-2019@0' }],
    policyVersion: 'LZB-2019-4',
    customsEventIds: ['evt-c-2018', 'evt-c-2019'],
    reservationId: 'rsv-app-1',
    commitmentId: 'cmt-app-1',
    approvedBy: 'fin-head',
    ...over,
  },
});
const approved: CaseEvent = {
  type: 'AwardApproved',
  data: {
    applicationId: id,
    program: 'P2b',
    year: 2019,
    uscc: ENTERPRISE,
    amountCny: '4000.00',
    computedCny: '4000.00',
    approvableCny: '4000.00',
    reasonIfLower: null,
    capApplied: null,
    trace: [{ step: 'increment', value: 'USD 149999.99', source: 'customs-2019@0' }],
    policyVersion: 'LZB-2019-4',
    customsEventIds: ['evt-c-2018', 'evt-c-2019'],
    reservationId: 'rsv-app-1',
    commitmentId: 'cmt-app-1',
    approvedBy: 'fin-head',
    publicity: null,
  },
};
const rejected: CaseEvent = {
  type: 'ApplicationRejected',
  data: { applicationId: id, reason: 'not eligible', fromStatus: 'submitted', rejectedBy: 'fin-head' },
};
const disbursed: CaseEvent = {
  type: 'AwardDisbursed',
  data: { applicationId: id, paymentRef: 'PAY-1', amountCny: '4000.00', commitmentId: 'cmt-app-1', disbursedBy: 'fin-officer' },
};

const objectionRecorded: CaseEvent = {
  type: 'PublicityObjectionRecorded',
  data: { applicationId: id, source: 'letter of 2020-03-03', detail: 'the exports were re-invoiced', asOfDate: '2020-03-03', recordedBy: 'com-officer' },
};
const withdrawn: CaseEvent = {
  type: 'AwardWithdrawn',
  data: {
    applicationId: id,
    reason: 'objection founded',
    amountCny: '4000.00',
    reservationId: 'rsv-app-1',
    commitmentId: 'cmt-app-1',
    withdrawnBy: 'fin-head',
  },
};
const revokedPaid: CaseEvent = {
  type: 'AwardRevoked',
  data: {
    applicationId: id,
    reason: 'fraud',
    evidenceRef: 'EV-1',
    fromStatus: 'disbursed',
    amountCny: '4000.00',
    reservationId: 'rsv-app-1',
    commitmentId: 'cmt-app-1',
    revokedBy: 'fin-head',
  },
};
const recoveryOrdered: CaseEvent = {
  type: 'RecoveryOrdered',
  data: { applicationId: id, recoveryId: 'rec-1', amountCny: '4000.00', dueDate: '2020-04-15', cause: 'revocation', orderedBy: 'fin-head' },
};

const underReview = [submitted, accepted(1)];
const readyForDecision = [...underReview, opinion('COM', 'approve'), opinion('CUS', 'approve'), opinion('PBC', 'approve'), ready()];
const historyOf: Record<CaseStatus, CaseEvent[]> = {
  submitted: [submitted],
  returned: [submitted, returned],
  'under-review': underReview,
  objected: [...underReview, opinion('COM', 'approve'), opinion('CUS', 'reject'), objected],
  'ready-for-decision': readyForDecision,
  approved: [...readyForDecision, approved],
  rejected: [submitted, rejected],
  disbursed: [...readyForDecision, approved, disbursed],
  'publicity-objected': [...readyForDecision, approved, objectionRecorded],
  withdrawn: [...readyForDecision, approved, objectionRecorded, withdrawn],
  revoked: [...readyForDecision, approved, disbursed, revokedPaid, recoveryOrdered],
};

/** A well-formed instance of every command, to probe the state machine. */
const oneOfEach: CaseCommand[] = [
  submit,
  { type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-officer' } },
  { type: 'ReturnForCorrection', data: { reason: 'invoice missing', returnedBy: 'fin-officer' } },
  { type: 'ResubmitApplication', data: { claims: { a: 1 }, resubmittedBy: 'applicant-1' } },
  { type: 'RecordReviewOpinion', data: { unit: 'PBC', verdict: 'approve', comment: 'ok', author: 'pbc-reviewer' } },
  { type: 'MarkReviewOverdue', data: { unit: 'PBC', round: 1, asOfDate: '2020-03-17' } },
  approveCommand(),
  { type: 'RejectApplication', data: { reason: 'not eligible', rejectedBy: 'fin-head' } },
  { type: 'DisburseAward', data: { paymentRef: 'PAY-1', amountCny: '4000.00', disbursedBy: 'fin-officer' } },
  { type: 'RecordPublicityObjection', data: { source: 's', detail: 'd', asOfDate: '2020-03-03', recordedBy: 'com-officer' } },
  { type: 'UpholdAward', data: { reason: 'unfounded', upheldBy: 'fin-head' } },
  { type: 'WithdrawAward', data: { reason: 'founded', withdrawnBy: 'fin-head' } },
  { type: 'RevokeAward', data: { reason: 'fraud', evidenceRef: 'EV-1', revokedBy: 'fin-head' } },
  { type: 'RecordRepayment', data: { recoveryId: 'rec-1', repaymentRef: 'R-1', amountCny: '1.00', recordedBy: 'fin-officer' } },
];

const stateAfter = (events: CaseEvent[]): ExistingCase => evolveAll(caseDecider, events) as ExistingCase;

describe('case (stream application-<id>)', () => {
  describe('the state machine', () => {
    it('every history used below reaches the status it is named after', () => {
      for (const status of CASE_STATUSES) expect(stateAfter(historyOf[status]).status).toBe(status);
    });

    for (const status of CASE_STATUSES) {
      for (const command of oneOfEach) {
        const allowed = command.type === 'SubmitApplication' ? false : CASE_TRANSITIONS[command.type].includes(status);
        if (allowed) continue;
        it(`refuses ${command.type} on a ${status} case with InvalidTransition`, () => {
          given(historyOf[status]).when(command).thenThrows(InvalidTransition, { status, command: command.type });
        });
      }
    }
  });

  it('an event type this version does not know leaves the case as it was', () => {
    const before = stateAfter(underReview);
    expect(caseDecider.evolve(before, { type: 'SomethingNew', data: {} } as unknown as CaseEvent)).toBe(before);
  });

  describe('no case yet', () => {
    it('submits an application and routes it to the program lead unit with its cooperating units', () => {
      const state = given([]).when(submit).then([submitted]) as ExistingCase;
      expect(state).toMatchObject({ status: 'submitted', leadUnit: 'FIN', round: 0, pendingReviews: [] });
    });

    it('accepts a program long name and records the program id', () => {
      const events = given([])
        .when({ ...submit, data: { ...submit.data, program: 'trade-increment-subsidy' } })
        .events();
      expect(events[0].data).toMatchObject({ program: 'P2b' });
    });

    it('refuses an unknown program, naming the field', () => {
      given([])
        .when({ ...submit, data: { ...submit.data, program: 'P9' } })
        .thenThrows(InvalidCommand, { field: 'program' });
    });

    it('refuses a USCC with a wrong check character, naming the field', () => {
      const bad = ENTERPRISE.slice(0, 17) + (ENTERPRISE[17] === '0' ? '1' : '0');
      given([])
        .when({ ...submit, data: { ...submit.data, beneficiary: { uscc: bad, kind: 'enterprise' } } })
        .thenThrows(InvalidCommand, { field: 'beneficiary.uscc' });
    });

    it('refuses a P4 park grant applied for by an enterprise', () => {
      given([])
        .when({ ...submit, data: { ...submit.data, program: 'P4' } })
        .thenThrows(WrongBeneficiaryKind, { code: 'wrong-beneficiary-kind', expected: 'park', actual: 'enterprise' });
    });

    it('refuses claims that are not a JSON object', () => {
      given([])
        .when({ ...submit, data: { ...submit.data, claims: ['x'] as never } })
        .thenThrows(InvalidCommand, { field: 'claims' });
    });

    it('refuses a year that is not an integer year', () => {
      given([])
        .when({ ...submit, data: { ...submit.data, year: 2019.5 } })
        .thenThrows(InvalidCommand, { field: 'year' });
    });

    it('refuses an unknown policy version', () => {
      given([])
        .when({ ...submit, data: { ...submit.data, policyVersion: 'LZB-2031-1' } })
        .thenThrows(InvalidCommand, { field: 'policyVersion' });
    });

    for (const command of oneOfEach.filter((c) => c.type !== 'SubmitApplication')) {
      it(`refuses ${command.type} on an application that does not exist`, () => {
        given([]).when(command).thenThrows(CaseNotFound, { code: 'case-not-found' });
      });
    }
  });

  describe('submitted', () => {
    it('acceptance opens countersign round 1 with one review per cooperating unit, each due on the given date', () => {
      const state = given([submitted])
        .when({ type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-officer' } })
        .then([accepted(1)]) as ExistingCase;
      expect(state.status).toBe('under-review');
      expect(state.pendingReviews).toEqual([
        { unit: 'COM', dueDate: '2020-03-16', overdue: false },
        { unit: 'CUS', dueDate: '2020-03-16', overdue: false },
        { unit: 'PBC', dueDate: '2020-03-16', overdue: false },
      ]);
    });

    it('acceptance of a case whose program has no cooperating unit goes straight to ready for decision', () => {
      const alone = { ...submitted, data: { ...submitted.data, cooperatingUnits: [] } } as CaseEvent;
      given([alone])
        .when({ type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-officer' } })
        .then([{ type: 'CaseAccepted', data: { applicationId: id, round: 1, reviews: [], acceptedBy: 'fin-officer' } }, ready(1)]);
    });

    it('acceptance keeps the calendar note of a due date counted without a calendar, on the event and the case', () => {
      const withNote = accepted(1, '2027-01-14');
      (withNote.data as { calendarNotes?: string[] }).calendarNotes = ['calendar-missing:2027'];
      const state = given([submitted])
        .when({ type: 'AcceptCase', data: { dueDate: '2027-01-14', acceptedBy: 'fin-officer', calendarNotes: ['calendar-missing:2027'] } })
        .then([withNote]) as ExistingCase;
      expect(state.calendarNotes).toEqual(['calendar-missing:2027']);
    });

    it('an acceptance recorded before the calendar notes existed evolves to a case without notes', () => {
      const state = evolveAll(caseDecider, [submitted, accepted(1)]) as ExistingCase;
      expect(state.calendarNotes).toEqual([]);
    });

    it('refuses calendar notes that are not a list of strings', () => {
      given([submitted])
        .when({ type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-officer', calendarNotes: 'calendar-missing:2027' as never } })
        .thenThrows(InvalidCommand, { field: 'calendarNotes' });
    });

    it('refuses an acceptance whose due date is not a calendar date', () => {
      given([submitted])
        .when({ type: 'AcceptCase', data: { dueDate: '2020-02-30', acceptedBy: 'fin-officer' } })
        .thenThrows(InvalidCommand, { field: 'dueDate' });
    });

    it('is returned for correction with a reason', () => {
      const state = given([submitted])
        .when({ type: 'ReturnForCorrection', data: { reason: 'invoice missing', returnedBy: 'fin-officer' } })
        .then([returned]) as ExistingCase;
      expect(state).toMatchObject({ status: 'returned', returnReason: 'invoice missing' });
    });

    it('refuses a return without a reason', () => {
      given([submitted])
        .when({ type: 'ReturnForCorrection', data: { reason: ' ', returnedBy: 'fin-officer' } })
        .thenThrows(InvalidCommand, { field: 'reason' });
    });

    it('is rejected by the lead unit', () => {
      given([submitted])
        .when({ type: 'RejectApplication', data: { reason: 'not eligible', rejectedBy: 'fin-head' } })
        .then([rejected]);
    });

    it('refuses a second submission of the same application', () => {
      given([submitted]).when(submit).thenThrows(InvalidTransition, { status: 'submitted' });
    });
  });

  describe('returned', () => {
    it('is resubmitted with corrected claims and goes back to submitted', () => {
      const state = given([submitted, returned])
        .when({ type: 'ResubmitApplication', data: { claims: { promotesOnThirdPartyPlatform: false }, resubmittedBy: 'applicant-1' } })
        .then([
          {
            type: 'ApplicationResubmitted',
            data: { applicationId: id, claims: { promotesOnThirdPartyPlatform: false }, resubmittedBy: 'applicant-1' },
          },
        ]) as ExistingCase;
      expect(state).toMatchObject({ status: 'submitted', claims: { promotesOnThirdPartyPlatform: false } });
    });

    it('a later acceptance opens a new round (round 2 after a return from an objection)', () => {
      const history: CaseEvent[] = [
        ...historyOf.objected,
        { type: 'ApplicationReturned', data: { applicationId: id, reason: 'fix figures', fromStatus: 'objected', returnedBy: 'fin-officer' } },
        { type: 'ApplicationResubmitted', data: { applicationId: id, claims: {}, resubmittedBy: 'applicant-1' } },
      ];
      const state = given(history)
        .when({ type: 'AcceptCase', data: { dueDate: '2020-05-06', acceptedBy: 'fin-officer' } })
        .then([accepted(2, '2020-05-06')]) as ExistingCase;
      expect(state.round).toBe(2);
      expect(state.pendingReviews.map((r) => r.unit)).toEqual(['COM', 'CUS', 'PBC']);
      expect(state.opinions.filter((o) => o.round === 1)).toHaveLength(2);
    });
  });

  describe('under-review', () => {
    it('records an approve opinion with its author; the other reviews stay pending', () => {
      const state = given(underReview)
        .when({ type: 'RecordReviewOpinion', data: { unit: 'COM', verdict: 'approve', comment: 'ok', author: 'com-reviewer' } })
        .then([opinion('COM', 'approve')]) as ExistingCase;
      expect(state.status).toBe('under-review');
      expect(state.pendingReviews.map((r) => r.unit)).toEqual(['CUS', 'PBC']);
      expect(state.opinions).toEqual([{ round: 1, unit: 'COM', verdict: 'approve', comment: 'ok', author: 'com-reviewer' }]);
    });

    it('becomes ready for decision when the last opinion of the round is approve', () => {
      given([...underReview, opinion('COM', 'approve'), opinion('CUS', 'approve')])
        .when({ type: 'RecordReviewOpinion', data: { unit: 'PBC', verdict: 'approve', comment: 'ok', author: 'pbc-reviewer' } })
        .then([opinion('PBC', 'approve'), ready()]);
    });

    it('a reject opinion objects: back to the lead unit, the reviews still pending are withdrawn', () => {
      const state = given([...underReview, opinion('COM', 'approve')])
        .when({ type: 'RecordReviewOpinion', data: { unit: 'CUS', verdict: 'reject', comment: 'figures do not match', author: 'cus-reviewer' } })
        .then([opinion('CUS', 'reject'), objected]) as ExistingCase;
      expect(state).toMatchObject({ status: 'objected', pendingReviews: [] });
    });

    it('refuses a reject opinion without a comment', () => {
      given(underReview)
        .when({ type: 'RecordReviewOpinion', data: { unit: 'CUS', verdict: 'reject', comment: '', author: 'cus-reviewer' } })
        .thenThrows(InvalidCommand, { field: 'comment' });
    });

    it('refuses a verdict other than approve or reject', () => {
      given(underReview)
        .when({ type: 'RecordReviewOpinion', data: { unit: 'CUS', verdict: 'maybe' as never, comment: 'x', author: 'cus-reviewer' } })
        .thenThrows(InvalidCommand, { field: 'verdict' });
    });

    it('refuses an opinion from a unit that is not asked to review (the lead unit itself)', () => {
      given(underReview)
        .when({ type: 'RecordReviewOpinion', data: { unit: 'FIN', verdict: 'approve', comment: 'ok', author: 'fin-officer' } })
        .thenThrows(ReviewNotPending, { code: 'review-not-pending', unit: 'FIN', round: 1 });
    });

    it('refuses a second opinion from a unit that already answered in this round', () => {
      given([...underReview, opinion('COM', 'approve')])
        .when({ type: 'RecordReviewOpinion', data: { unit: 'COM', verdict: 'reject', comment: 'changed my mind', author: 'com-reviewer' } })
        .thenThrows(ReviewNotPending, { unit: 'COM' });
    });

    it('records a review overdue once the due date has passed; it stays pending', () => {
      const overdue: CaseEvent = {
        type: 'ReviewOverdue',
        data: { applicationId: id, round: 1, unit: 'PBC', dueDate: '2020-03-16', asOfDate: '2020-03-17' },
      };
      const state = given(underReview)
        .when({ type: 'MarkReviewOverdue', data: { unit: 'PBC', round: 1, asOfDate: '2020-03-17' } })
        .then([overdue]) as ExistingCase;
      expect(state.overdueReviews).toEqual([{ round: 1, unit: 'PBC', dueDate: '2020-03-16' }]);
      expect(state.pendingReviews.find((r) => r.unit === 'PBC')).toEqual({ unit: 'PBC', dueDate: '2020-03-16', overdue: true });
    });

    it('refuses to record the same overdue review twice (the caller treats it as done)', () => {
      const overdue: CaseEvent = {
        type: 'ReviewOverdue',
        data: { applicationId: id, round: 1, unit: 'PBC', dueDate: '2020-03-16', asOfDate: '2020-03-17' },
      };
      given([...underReview, overdue])
        .when({ type: 'MarkReviewOverdue', data: { unit: 'PBC', round: 1, asOfDate: '2020-03-20' } })
        .thenThrows(OverdueAlreadyRecorded, { code: 'overdue-already-recorded', unit: 'PBC', round: 1 });
    });

    it('refuses to mark a review overdue on its due date (due dates are inclusive)', () => {
      given(underReview)
        .when({ type: 'MarkReviewOverdue', data: { unit: 'PBC', round: 1, asOfDate: '2020-03-16' } })
        .thenThrows(ReviewNotYetDue, { dueDate: '2020-03-16' });
    });

    it('refuses to mark overdue a review already answered, or one of another round', () => {
      given([...underReview, opinion('PBC', 'approve')])
        .when({ type: 'MarkReviewOverdue', data: { unit: 'PBC', round: 1, asOfDate: '2020-03-17' } })
        .thenThrows(ReviewNotPending, { unit: 'PBC' });
      given(underReview)
        .when({ type: 'MarkReviewOverdue', data: { unit: 'PBC', round: 2, asOfDate: '2020-03-17' } })
        .thenThrows(ReviewNotPending, { round: 2 });
    });

    it('accepts a late opinion after the review was marked overdue', () => {
      const overdue: CaseEvent = {
        type: 'ReviewOverdue',
        data: { applicationId: id, round: 1, unit: 'PBC', dueDate: '2020-03-16', asOfDate: '2020-03-17' },
      };
      given([...underReview, opinion('COM', 'approve'), opinion('CUS', 'approve'), overdue])
        .when({ type: 'RecordReviewOpinion', data: { unit: 'PBC', verdict: 'approve', comment: 'late', author: 'pbc-reviewer' } })
        .then([{ ...opinion('PBC', 'approve'), data: { ...opinion('PBC', 'approve').data, comment: 'late' } } as CaseEvent, ready()]);
    });
  });

  describe('objected', () => {
    it('is returned for correction by the lead unit', () => {
      given(historyOf.objected)
        .when({ type: 'ReturnForCorrection', data: { reason: 'fix figures', returnedBy: 'fin-officer' } })
        .then([{ type: 'ApplicationReturned', data: { applicationId: id, reason: 'fix figures', fromStatus: 'objected', returnedBy: 'fin-officer' } }]);
    });

    it('is rejected by the lead unit', () => {
      given(historyOf.objected)
        .when({ type: 'RejectApplication', data: { reason: 'customs disagree', rejectedBy: 'fin-head' } })
        .then([{ type: 'ApplicationRejected', data: { applicationId: id, reason: 'customs disagree', fromStatus: 'objected', rejectedBy: 'fin-head' } }]);
    });
  });

  describe('ready-for-decision', () => {
    it('approves the computed amount, storing trace, policy version, customs event ids and the reservation', () => {
      const state = given(readyForDecision).when(approveCommand()).then([approved]) as ExistingCase;
      expect(state.status).toBe('approved');
      expect(state.approval).toMatchObject({ amountCny: '4000.00', reservationId: 'rsv-app-1', customsEventIds: ['evt-c-2018', 'evt-c-2019'] });
    });

    it('approves a lower amount when a reason is given', () => {
      const events = given(readyForDecision)
        .when(approveCommand({ amountCny: '3000.00', reasonIfLower: 'one invoice disallowed' }))
        .events();
      expect(events[0].data).toMatchObject({ amountCny: '3000.00', computedCny: '4000.00', reasonIfLower: 'one invoice disallowed' });
    });

    it('approves the capped amount without a reason: computedCny is before caps, approvableCny after (E4)', () => {
      const events = given(readyForDecision)
        .when(approveCommand({ amountCny: '100000.00', computedCny: '105000.00', approvableCny: '100000.00', capApplied: 'P2a-annual-cap' }))
        .events();
      expect(events[0].data).toMatchObject({ amountCny: '100000.00', computedCny: '105000.00', approvableCny: '100000.00', reasonIfLower: null });
    });

    it('refuses an approvable amount above what the rule computed before caps', () => {
      given(readyForDecision)
        .when(approveCommand({ amountCny: '4000.00', computedCny: '3000.00', approvableCny: '4000.00' }))
        .thenThrows(InvalidCommand, { field: 'approvableCny' });
    });

    it('reads an AwardApproved stored without approvableCny (schema version 1) through its upcaster: approvable = computedCny, no publicity', () => {
      const { approvableCny: _omitted, publicity: _none, ...older } = approved.data as Record<string, unknown>;
      const upcaster = EVENT_UPCASTERS.find((u) => u.type === 'AwardApproved' && u.fromSchemaVersion === 1)!;
      const state = stateAfter([...readyForDecision, { type: 'AwardApproved', data: upcaster.upcast(older) } as unknown as CaseEvent]);
      expect(state.approval).toMatchObject({ computedCny: '4000.00', approvableCny: '4000.00', publicity: null });
    });

    it('refuses a lower amount without a reason', () => {
      given(readyForDecision)
        .when(approveCommand({ amountCny: '3999.99' }))
        .thenThrows(ReasonRequiredForLowerAmount);
    });

    it('refuses an amount above the computed award, by one fen', () => {
      given(readyForDecision)
        .when(approveCommand({ amountCny: '4000.01' }))
        .thenThrows(AmountAboveComputed, { code: 'amount-above-computed', amountCny: '4000.01', approvableCny: '4000.00' });
    });

    it('refuses a zero approval, money as a number, and a decision without its trace', () => {
      given(readyForDecision)
        .when(approveCommand({ amountCny: '0.00', computedCny: '0.00', approvableCny: '0.00' }))
        .thenThrows(InvalidCommand, { field: 'amountCny' });
      given(readyForDecision)
        .when(approveCommand({ amountCny: 4000 as never }))
        .thenThrows(InvalidCommand, { field: 'amountCny' });
      given(readyForDecision)
        .when(approveCommand({ trace: [] }))
        .thenThrows(InvalidCommand, { field: 'trace' });
    });

    it('is rejected by the lead unit', () => {
      given(readyForDecision)
        .when({ type: 'RejectApplication', data: { reason: 'fund priorities', rejectedBy: 'fin-head' } })
        .then([
          { type: 'ApplicationRejected', data: { applicationId: id, reason: 'fund priorities', fromStatus: 'ready-for-decision', rejectedBy: 'fin-head' } },
        ]);
    });
  });

  describe('approved', () => {
    it('is disbursed for the approved amount, against the approval commitment', () => {
      const state = given(historyOf.approved)
        .when({ type: 'DisburseAward', data: { paymentRef: 'PAY-1', amountCny: '4000.00', disbursedBy: 'fin-officer' } })
        .then([disbursed]) as ExistingCase;
      expect(state).toMatchObject({ status: 'disbursed', disbursement: { paymentRef: 'PAY-1', amountCny: '4000.00' } });
    });

    it('refuses a disbursement of another amount than approved', () => {
      given(historyOf.approved)
        .when({ type: 'DisburseAward', data: { paymentRef: 'PAY-1', amountCny: '4000.01', disbursedBy: 'fin-officer' } })
        .thenThrows(DisbursementAmountMismatch, { approvedCny: '4000.00' });
    });
  });

  describe('rejected and disbursed are final', () => {
    it('a rejected case keeps its reason and who rejected it', () => {
      expect(stateAfter(historyOf.rejected).rejection).toEqual({ reason: 'not eligible', rejectedBy: 'fin-head', fromStatus: 'submitted' });
    });
  });
});

describe('case: properties over random command sequences', () => {
  const unit = fc.constantFrom('COM', 'CUS', 'PBC', 'FIN');
  const command: fc.Arbitrary<CaseCommand> = fc.oneof(
    fc.constant(submit),
    fc.constant<CaseCommand>({ type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-officer' } }),
    fc.constant<CaseCommand>({ type: 'ReturnForCorrection', data: { reason: 'r', returnedBy: 'fin-officer' } }),
    fc.constant<CaseCommand>({ type: 'ResubmitApplication', data: { claims: {}, resubmittedBy: 'applicant-1' } }),
    fc
      .tuple(unit, fc.constantFrom<'approve' | 'reject'>('approve', 'approve', 'reject'))
      .map(([u, verdict]): CaseCommand => ({ type: 'RecordReviewOpinion', data: { unit: u, verdict, comment: 'c', author: 'a' } })),
    fc
      .tuple(unit, fc.integer({ min: 0, max: 3 }), fc.constantFrom('2020-03-16', '2020-03-17'))
      .map(([u, round, asOfDate]): CaseCommand => ({ type: 'MarkReviewOverdue', data: { unit: u, round, asOfDate } })),
    fc.constantFrom('4000.00', '3000.00', '4000.01').map((amountCny) => approveCommand({ amountCny, reasonIfLower: amountCny === '3000.00' ? 'why' : null })),
    fc.constant<CaseCommand>({ type: 'RejectApplication', data: { reason: 'r', rejectedBy: 'fin-head' } }),
    fc.constant<CaseCommand>({ type: 'DisburseAward', data: { paymentRef: 'PAY-1', amountCny: '4000.00', disbursedBy: 'fin-officer' } }),
  );

  it('every command is decided or refused with a DomainError, and the case never breaks its invariants', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 5, maxLength: 40, size: 'max' }), (commands) => {
        let state = caseDecider.initialState();
        const log: CaseEvent[] = [];
        for (const c of commands) {
          try {
            const events = caseDecider.decide(c, state);
            log.push(...events);
            state = evolveAll(caseDecider, events, state);
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
          }
          if (state.status === 'none') continue;
          const current = state; // narrowed, for the closures below
          const roundOpinions = state.opinions.filter((o) => o.round === current.round);
          // One opinion per unit per round, only from cooperating units.
          const units = roundOpinions.map((o) => o.unit);
          if (new Set(units).size !== units.length) throw new Error(`two opinions from one unit in round ${state.round}`);
          if (units.some((u) => !current.cooperatingUnits.includes(u))) throw new Error('an opinion from a non-cooperating unit');
          // Ready for decision only when every cooperating unit approved in the current round.
          if (state.status === 'ready-for-decision' || state.status === 'approved' || state.status === 'disbursed') {
            const approvals = roundOpinions
              .filter((o) => o.verdict === 'approve')
              .map((o) => o.unit)
              .sort();
            if (approvals.join() !== [...state.cooperatingUnits].sort().join()) throw new Error(`${state.status} without every approval`);
          }
          if (state.approval && Money.cny(state.approval.amountCny).gt(Money.cny(state.approval.approvableCny))) {
            throw new Error('approved above the computed award');
          }
          if (state.status === 'objected' && !roundOpinions.some((o) => o.verdict === 'reject')) throw new Error('objected without a reject');
          // ReviewOverdue at most once per (unit, round).
          const overdueKeys = state.overdueReviews.map((o) => `${o.unit}/${o.round}`);
          if (new Set(overdueKeys).size !== overdueKeys.length) throw new Error('a review marked overdue twice');
        }
        // At most one approval and one disbursement in the whole history.
        if (log.filter((e) => e.type === 'AwardApproved').length > 1) throw new Error('approved twice');
        if (log.filter((e) => e.type === 'AwardDisbursed').length > 1) throw new Error('disbursed twice');
      }),
      { numRuns: 3000 },
    );
  });
});

describe('case after the decision (公示, 异议, revocation, 追回)', () => {
  const publicity = { from: '2020-03-03', until: '2020-03-09', workingDays: 5 };
  const approvedPublished: CaseEvent = { ...approved, data: { ...(approved.data as object), publicity } } as CaseEvent;
  const published = [...readyForDecision, approvedPublished];
  const pay = (asOfDate: string): CaseCommand => ({
    type: 'DisburseAward',
    data: { paymentRef: 'PAY-1', amountCny: '4000.00', disbursedBy: 'fin-officer', asOfDate },
  });

  it('given an award in its publicity, when paid on its last day, then it is refused (publicity-not-over); the day after, it is paid', () => {
    given(published).when(pay('2020-03-09')).thenThrows(PublicityNotOver, { code: 'publicity-not-over', until: '2020-03-09' });
    expect(given(published).when(pay('2020-03-10')).events()[0].type).toBe('AwardDisbursed');
  });

  it('given an award approved before publicity existed (no period), then it is paid at once: not retro-blocked', () => {
    expect(
      given([...readyForDecision, approved])
        .when(pay('2020-03-03'))
        .events()[0].type,
    ).toBe('AwardDisbursed');
  });

  it('an objection during the publicity goes back to the lead unit; upheld, the award may be paid at once', () => {
    const objection: CaseCommand = {
      type: 'RecordPublicityObjection',
      data: { source: 'hotline 12345', detail: 'd', asOfDate: '2020-03-05', recordedBy: 'com-officer' },
    };
    const objected = given(published)
      .when(objection)
      .then([
        {
          type: 'PublicityObjectionRecorded',
          data: { applicationId: id, source: 'hotline 12345', detail: 'd', asOfDate: '2020-03-05', recordedBy: 'com-officer' },
        },
      ]);
    expect(objected.status).toBe('publicity-objected');
    const events = given(published).when(objection).events();
    const upheld = [...published, ...events, { type: 'AwardUpheld', data: { applicationId: id, reason: 'unfounded', upheldBy: 'fin-head' } } as CaseEvent];
    expect(stateAfter(upheld).status).toBe('approved');
    expect(given(upheld).when(pay('2020-03-05')).events()[0].type).toBe('AwardDisbursed');
  });

  it('an objection after the publicity, or on an award without one, is refused (not-in-publicity)', () => {
    const late: CaseCommand = { type: 'RecordPublicityObjection', data: { source: 's', detail: 'd', asOfDate: '2020-03-10', recordedBy: 'com-officer' } };
    given(published).when(late).thenThrows(NotInPublicity, { code: 'not-in-publicity' });
    given([...readyForDecision, approved])
      .when(late)
      .thenThrows(NotInPublicity, { until: null });
  });

  it('withdrawal names what the approval held, for the release of the caps and the fund', () => {
    given([...published, objectionRecorded])
      .when({ type: 'WithdrawAward', data: { reason: 'objection founded', withdrawnBy: 'fin-head' } })
      .then([withdrawn]);
  });

  it('revoking a paid award orders the recovery of all that was paid; an unpaid one orders none', () => {
    const revoke: CaseCommand = {
      type: 'RevokeAward',
      data: { reason: 'fraud', evidenceRef: 'EV-1', revokedBy: 'fin-head', recovery: { recoveryId: 'rec-1', dueDate: '2020-04-15' } },
    };
    given([...readyForDecision, approved, disbursed])
      .when(revoke)
      .then([revokedPaid, recoveryOrdered]);
    const unpaid = given([...readyForDecision, approved])
      .when(revoke)
      .events();
    expect(unpaid.map((e) => e.type)).toEqual(['AwardRevoked']);
    given([...readyForDecision, approved, disbursed])
      .when({ type: 'RevokeAward', data: { reason: 'fraud', evidenceRef: 'EV-1', revokedBy: 'fin-head' } })
      .thenThrows(InvalidCommand, { field: 'recovery' });
  });

  it('repayments are recorded one by one until the order is settled, never above what is owed', () => {
    const revoked = historyOf.revoked;
    const repay = (ref: string, amountCny: string): CaseCommand => ({
      type: 'RecordRepayment',
      data: { recoveryId: 'rec-1', repaymentRef: ref, amountCny, recordedBy: 'fin-officer' },
    });
    const first = given(revoked).when(repay('R-1', '1500.00')).events();
    expect(first).toEqual([
      {
        type: 'RepaymentRecorded',
        data: { applicationId: id, recoveryId: 'rec-1', repaymentRef: 'R-1', amountCny: '1500.00', outstandingCny: '2500.00', recordedBy: 'fin-officer' },
      },
    ]);
    given([...revoked, ...first])
      .when(repay('R-2', '2500.01'))
      .thenThrows(RepaymentAboveOutstanding, { outstandingCny: '2500.00' });
    const last = given([...revoked, ...first])
      .when(repay('R-2', '2500.00'))
      .events();
    expect(last.map((e) => e.type)).toEqual(['RepaymentRecorded', 'RecoverySettled']);
    expect(stateAfter([...revoked, ...first, ...last]).recoveries[0]).toMatchObject({ repaidCny: '4000.00', outstandingCny: '0.00', settled: true });
    // The bank's reference names one repayment: the same again is nothing new; another amount under it is refused.
    given([...revoked, ...first])
      .when(repay('R-1', '1500.00'))
      .then([]);
    given([...revoked, ...first])
      .when(repay('R-1', '1.00'))
      .thenThrows(IdConflict, { code: 'id-conflict' });
    given(revoked)
      .when({ ...repay('R-1', '1.00'), data: { ...repay('R-1', '1.00').data, recoveryId: 'nope' } } as CaseCommand)
      .thenThrows(RecoveryNotFound);
  });
});

describe('复核: a customs revision reaches an award already decided', () => {
  const computation = (approvableCny: string) => ({
    computedCny: approvableCny,
    approvableCny,
    trace: [{ step: 's', value: approvableCny }],
    customsEventIds: ['c-2'],
  });
  const flag = (approvableCny: string): CaseCommand => ({
    type: 'FlagRecheck',
    data: { revisionEventIds: ['rev-1'], decided: computation('4000.00'), revised: computation(approvableCny), flaggedOn: '2020-04-01' },
  });
  const check = (recovery?: { recoveryId: string; dueDate: string }): CaseCommand => ({
    type: 'RecordRecheck',
    data: { checkedBy: 'fin-head', ...(recovery ? { recovery } : {}) },
  });
  const paid = [...readyForDecision, approved, disbursed];

  it('flags the award once per revision, with both computations side by side', () => {
    const flagged = given(paid).when(flag('3000.00')).events();
    expect(flagged[0]).toMatchObject({
      type: 'RecheckRequired',
      data: { approvedCny: '4000.00', decided: { approvableCny: '4000.00' }, revised: { approvableCny: '3000.00' } },
    });
    given([...paid, ...flagged])
      .when(flag('3000.00'))
      .then([]);
  });

  it('unchanged: the recheck is recorded with who checked', () => {
    const flagged = given(paid).when(flag('4000.00')).events();
    expect(
      given([...paid, ...flagged])
        .when(check())
        .events(),
    ).toEqual([
      {
        type: 'RecheckRecorded',
        data: {
          applicationId: id,
          revisionEventIds: ['rev-1'],
          outcome: 'unchanged',
          approvedCny: '4000.00',
          revisedCny: '4000.00',
          differenceCny: '0.00',
          checkedBy: 'fin-head',
        },
      },
    ]);
  });

  it('lower and paid: the difference is recovered (RecoveryOrdered, cause revision); lower and unpaid: refused, revoke instead', () => {
    const flagged = given(paid).when(flag('3000.00')).events();
    const events = given([...paid, ...flagged])
      .when(check({ recoveryId: 'rec-r', dueDate: '2020-05-15' }))
      .events();
    expect(events.map((e) => e.type)).toEqual(['RecheckRecorded', 'RecoveryOrdered']);
    expect(events[1].data).toMatchObject({ amountCny: '1000.00', cause: 'revision' });
    const unpaid = [...readyForDecision, approved];
    given([...unpaid, ...given(unpaid).when(flag('0.00')).events()])
      .when(check())
      .thenThrows(RecheckLowerBeforePayment);
  });

  it('lower and not yet paid: lowered in place (AwardLowered), and payment is then of the lowered amount', () => {
    const unpaid = [...readyForDecision, approved];
    const flagged = given(unpaid).when(flag('3000.00')).events();
    const lowered = given([...unpaid, ...flagged])
      .when({ type: 'RecordRecheck', data: { checkedBy: 'fin-head', loweringId: 'low-1' } })
      .events();
    expect(lowered.map((e) => e.type)).toEqual(['RecheckRecorded', 'AwardLowered']);
    expect(lowered[1].data).toMatchObject({ fromCny: '4000.00', toCny: '3000.00', differenceCny: '1000.00', loweringId: 'low-1' });
    const state = evolveAll(caseDecider, [...unpaid, ...flagged, ...lowered]) as ExistingCase;
    expect(state.approval!.amountCny).toBe('3000.00');
  });

  describe('higher: 补发 through the normal approval', () => {
    const flagged = given(paid).when(flag('5000.00')).events();
    const opening = (skipCountersign: boolean): CaseCommand => ({
      type: 'RecordRecheck',
      data: { checkedBy: 'fin-head', supplement: { supplementId: 'sup-1', skipCountersign, dueDate: skipCountersign ? null : '2020-04-15' } },
    });
    const opened = given([...paid, ...flagged])
      .when(opening(false))
      .events();
    const opinion = (unit: string, author: string, verdict: 'approve' | 'reject' = 'approve'): CaseCommand => ({
      type: 'RecordSupplementOpinion',
      data: { unit: unit as never, verdict, comment: verdict === 'reject' ? 'figures unclear' : 'ok', author },
    });
    const approve = (approvedBy = 'fin-head'): CaseCommand => ({
      type: 'ApproveSupplement',
      data: { supplementId: 'sup-1', commitmentId: 'c-sup', approvedBy },
    });
    const countersigned = [
      ...paid,
      ...flagged,
      ...opened,
      ...given([...paid, ...flagged, ...opened])
        .when(opinion('COM', 'com-1'))
        .events(),
    ];

    it('opens the supplementary award of the difference, countersigned by every cooperating unit', () => {
      expect(opened.map((e) => e.type)).toEqual(['RecheckRecorded', 'SupplementaryAwardOpened']);
      expect(opened[0].data).toMatchObject({ outcome: 'higher', differenceCny: '1000.00' });
      expect(opened[1].data).toMatchObject({
        differenceCny: '1000.00',
        countersignSkipped: false,
        reviews: [{ unit: 'COM', dueDate: '2020-04-15' }, { unit: 'CUS' }, { unit: 'PBC' }],
      });
      given(paid).when(check()).thenThrows(NoRecheckPending);
    });

    it('the head decides only after the countersign, and not as one of its countersigners; the award then counts for the total', () => {
      given(countersigned).when(approve()).thenThrows(SupplementCountersignPending);
      const all = [...countersigned, ...given(countersigned).when(opinion('CUS', 'cus-1')).events()];
      const ready = [...all, ...given(all).when(opinion('PBC', 'pbc-1')).events()];
      given(ready).when(approve('com-1')).thenThrows(FourEyes);
      const decided = given(ready).when(approve()).events();
      expect(decided).toEqual([
        {
          type: 'SupplementaryAwardApproved',
          data: {
            applicationId: id,
            supplementId: 'sup-1',
            amountCny: '1000.00',
            totalCny: '5000.00',
            commitmentId: 'c-sup',
            reservationId: 'rsv-app-1',
            approvedBy: 'fin-head',
          },
        },
      ]);
      const paidToo = given([...ready, ...decided])
        .when({ type: 'DisburseSupplement', data: { supplementId: 'sup-1', paymentRef: 'PAY-S', disbursedBy: 'fin-officer' } })
        .events();
      expect(paidToo[0].data).toMatchObject({ amountCny: '1000.00', commitmentId: 'c-sup' });
      given([...ready, ...decided, ...paidToo])
        .when({ type: 'DisburseSupplement', data: { supplementId: 'sup-1', paymentRef: 'PAY-S2', disbursedBy: 'fin-officer' } })
        .thenThrows(NoSupplementPending);
    });

    it('a reject opinion stops it; a policy version that skips the countersign leaves the decision to the head at once', () => {
      const rejected = [
        ...countersigned,
        ...given(countersigned)
          .when(opinion('CUS', 'cus-1', 'reject'))
          .events(),
      ];
      given(rejected).when(approve()).thenThrows(SupplementObjected);
      const skipped = given([...paid, ...flagged])
        .when(opening(true))
        .events();
      expect(skipped[1].data).toMatchObject({ countersignSkipped: true, reviews: [] });
      expect(
        given([...paid, ...flagged, ...skipped])
          .when(approve())
          .events()
          .map((e) => e.type),
      ).toEqual(['SupplementaryAwardApproved']);
    });
  });
});

describe('免申即享: a case COM opens on the customs statistics alone', () => {
  const computation = { computedCny: '50000.00', amountCny: '50000.00', trace: [{ step: 'p1-threshold', value: 'met' }], customsEventIds: ['c-1'] };
  const open: CaseCommand = {
    type: 'SubmitApplication',
    data: {
      applicationId: id,
      program: 'P1',
      year: 2019,
      beneficiary: { uscc: ENTERPRISE, kind: 'enterprise' },
      claims: {},
      submittedBy: 'com-head',
      proactive: { openedBy: 'com-head', declarationsPending: ['otherMunicipalTradeAward'], computation },
    },
  };
  const opened = given([]).when(open).events();
  const confirm = (declarations: Record<string, unknown>): CaseCommand => ({
    type: 'ConfirmDeclarations',
    data: { declarations: declarations as never, confirmedBy: 'applicant-1' },
  });

  it('is marked 免申 in its events, with the computation that found it and the declarations the enterprise owes', () => {
    expect(opened.map((e) => e.type)).toEqual(['ApplicationSubmitted', 'ProactiveCaseOpened']);
    expect(opened[1].data).toEqual({ applicationId: id, openedBy: 'com-head', declarationsPending: ['otherMunicipalTradeAward'], computation });
  });

  it('is not accepted before the enterprise confirmed its declarations', () => {
    given(opened)
      .when({ type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-officer' } })
      .thenThrows(DeclarationsPending);
  });

  it('the enterprise declares every pending claim, once; the claims are the case’s from then on and the case continues as any other', () => {
    given(opened).when(confirm({})).thenThrows(InvalidCommand);
    const confirmed = given(opened)
      .when(confirm({ otherMunicipalTradeAward: false }))
      .events();
    expect(confirmed).toEqual([
      {
        type: 'DeclarationsConfirmed',
        data: { applicationId: id, declarations: { otherMunicipalTradeAward: false }, claims: { otherMunicipalTradeAward: false }, confirmedBy: 'applicant-1' },
      },
    ]);
    given([...opened, ...confirmed])
      .when(confirm({ otherMunicipalTradeAward: false }))
      .thenThrows(NoDeclarationsPending);
    given([submitted]).when(confirm({})).thenThrows(NoDeclarationsPending);
    expect(
      given([...opened, ...confirmed])
        .when({ type: 'AcceptCase', data: { dueDate: '2020-03-16', acceptedBy: 'fin-officer' } })
        .events()
        .map((e) => e.type),
    ).toEqual(['CaseAccepted']);
  });
});
