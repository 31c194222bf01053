import { builtInCalendarPath, readCalendarFile, WorkingDayCalendar } from '../calendar';
import { deterministicId } from '@cbec/platform';
import { emptyProcessState, evolveProcess, ProcessEvent, ProcessState } from './process.state';
import { DEFAULT_APPROVAL_GRACE_MS, ProcessCommand, react, Tick } from './react';

const calendar = new WorkingDayCalendar(readCalendarFile(builtInCalendarPath()));
const options = { approvalGraceMs: DEFAULT_APPROVAL_GRACE_MS };

let seq = 0;
function event(type: string, data: Record<string, unknown>, occurredAt: string, streamId?: string): ProcessEvent {
  seq += 1;
  return {
    eventId: `evt-${type}-${seq}`,
    type,
    streamId: streamId ?? `application-${String(data.applicationId)}`,
    data,
    metadata: { occurredAt, correlationId: 'corr-1' },
  };
}

const A = 'case-1';
const submitted = (at = '2019-09-20T02:00:00Z') =>
  event('ApplicationSubmitted', { applicationId: A, leadUnit: 'FIN', cooperatingUnits: ['COM', 'CUS', 'PBC'], program: 'P2a' }, at);
// Accepted Fri 2019-09-27 (Beijing); 10 working days across the National Day week -> due Wed 2019-10-16.
const accepted = (round = 1, dueDate = '2019-10-16', at = '2019-09-27T03:00:00Z') =>
  event('CaseAccepted', { applicationId: A, round, reviews: ['COM', 'CUS', 'PBC'].map((unit) => ({ unit, dueDate })), acceptedBy: 'fin-1' }, at);
const opinion = (unit: string, verdict: 'approve' | 'reject', round = 1) =>
  event('ReviewOpinionRecorded', { applicationId: A, round, unit, verdict, comment: 'ok', author: `${unit}-1` }, '2019-10-08T02:00:00Z');
const overdue = (unit: string, round = 1) =>
  event('ReviewOverdue', { applicationId: A, round, unit, dueDate: '2019-10-16', asOfDate: '2019-10-17' }, '2019-10-17T01:00:00Z');
const tick = (now: string): Tick => ({ type: 'Tick', now });

function given(...events: ProcessEvent[]): { state: ProcessState; when(input: ProcessEvent | Tick): ProcessCommand[] } {
  const state = events.reduce((s, e) => evolveProcess(s, e, calendar), emptyProcessState());
  return { state, when: (input) => react(input, state, options) };
}

describe('the approval process', () => {
  describe("routing is the case decider's: the process records whose turn it is and issues nothing", () => {
    it("a submission awaits its program's lead unit", () => {
      const g = given(submitted());
      expect(g.state.cases[A]).toMatchObject({ status: 'submitted', awaiting: ['FIN'] });
      expect(g.when(submitted())).toEqual([]);
    });
    it('an acceptance awaits every cooperating unit, each with the due date on the case', () => {
      const g = given(submitted(), accepted());
      expect(g.state.cases[A]).toMatchObject({
        status: 'under-review',
        awaiting: ['COM', 'CUS', 'PBC'],
        acceptedOn: '2019-09-27',
        reviews: [
          { unit: 'COM', dueDate: '2019-10-16', overdue: false },
          { unit: 'CUS', dueDate: '2019-10-16', overdue: false },
          { unit: 'PBC', dueDate: '2019-10-16', overdue: false },
        ],
        calendarNotes: [],
      });
    });
    it('an objection goes back to the lead unit, and its withdrawn reviews never become overdue', () => {
      const g = given(
        submitted(),
        accepted(),
        opinion('COM', 'reject'),
        event('ApplicationObjected', { applicationId: A, round: 1, objectingUnit: 'COM', withdrawnReviews: ['CUS', 'PBC'] }, '2019-10-08T02:00:00Z'),
      );
      expect(g.state.cases[A]).toMatchObject({ status: 'objected', awaiting: ['FIN'], reviews: [] });
      expect(g.when(tick('2019-12-01T00:00:00Z'))).toEqual([]);
    });
    it("when every opinion approves, the case awaits the lead unit's decision and no review is chased", () => {
      const g = given(
        submitted(),
        accepted(),
        opinion('COM', 'approve'),
        opinion('CUS', 'approve'),
        opinion('PBC', 'approve'),
        event('ApplicationReadyForDecision', { applicationId: A, round: 1 }, '2019-10-08T02:00:00Z'),
      );
      expect(g.state.cases[A]).toMatchObject({ status: 'ready-for-decision', awaiting: ['FIN'] });
      expect(g.when(tick('2019-12-01T00:00:00Z'))).toEqual([]);
    });
    it('a return awaits the applicant; the resubmission awaits the lead unit again', () => {
      const returned = event('ApplicationReturned', { applicationId: A, reason: 'invoice missing' }, '2019-09-21T02:00:00Z');
      expect(given(submitted(), returned).state.cases[A].awaiting).toEqual(['APPLICANT']);
      const resubmitted = event('ApplicationResubmitted', { applicationId: A, claims: {} }, '2019-09-22T02:00:00Z');
      expect(given(submitted(), returned, resubmitted).state.cases[A]).toMatchObject({ status: 'submitted', awaiting: ['FIN'] });
    });
  });

  describe('given a round accepted on Fri 2019-09-27, due Wed 2019-10-16 (10 working days across National Day)', () => {
    const round1 = [submitted(), accepted()];

    it('chases nobody during the holiday week, nor on the due date itself (Beijing time)', () => {
      expect(given(...round1).when(tick('2019-10-05T12:00:00Z'))).toEqual([]);
      expect(given(...round1).when(tick('2019-10-16T15:59:59Z'))).toEqual([]);
    });

    it('marks every still-pending review overdue from the next day, naming the case, round, unit and date', () => {
      const g = given(...round1, opinion('CUS', 'approve'));
      const commands = g.when(tick('2019-10-16T16:00:00Z'));
      const cause = round1[1].eventId;
      expect(commands).toEqual(
        ['COM', 'PBC'].map((unit) => ({
          kind: 'MarkReviewOverdue',
          commandId: deterministicId(cause, 'MarkReviewOverdue', `${A}/1/${unit}`),
          causationId: cause,
          correlationId: 'corr-1',
          streamId: `application-${A}`,
          command: { type: 'MarkReviewOverdue', data: { unit, round: 1, asOfDate: '2019-10-17' } },
        })),
      );
    });

    it('a later tick, a restart or a replay decides the same command ids, so the case is chased once', () => {
      const first = given(...round1)
        .when(tick('2019-10-17T01:00:00Z'))
        .map((c) => c.commandId);
      const later = given(...round1)
        .when(tick('2019-10-25T01:00:00Z'))
        .map((c) => c.commandId);
      expect(later).toEqual(first);
      expect(new Set(first).size).toBe(3);
    });

    it('once ReviewOverdue is on the case for a unit, that unit is not chased again', () => {
      const g = given(...round1, overdue('COM'));
      expect(g.state.cases[A].reviews.find((r) => r.unit === 'COM')).toMatchObject({ overdue: true });
      expect(g.when(tick('2019-10-20T01:00:00Z')).map((c) => c.kind === 'MarkReviewOverdue' && c.command.data.unit)).toEqual(['CUS', 'PBC']);
    });

    it('a late opinion after ReviewOverdue is still taken and ends the chase for that unit', () => {
      const g = given(...round1, overdue('COM'), opinion('COM', 'approve'));
      expect(g.state.cases[A].awaiting).toEqual(['CUS', 'PBC']);
    });

    it('a new round (resubmission, acceptance) has its own deadlines and command ids', () => {
      const returned = event('ApplicationReturned', { applicationId: A, reason: 'x' }, '2019-10-18T02:00:00Z');
      const resubmitted = event('ApplicationResubmitted', { applicationId: A, claims: {} }, '2019-10-21T02:00:00Z');
      const round2 = accepted(2, '2019-11-05', '2019-10-22T02:00:00Z');
      const g = given(...round1, overdue('COM'), returned, resubmitted, round2);
      expect(g.when(tick('2019-11-05T12:00:00Z'))).toEqual([]);
      const commands = g.when(tick('2019-11-06T01:00:00Z'));
      expect(commands.map((c) => c.causationId)).toEqual([round2.eventId, round2.eventId, round2.eventId]);
      expect(commands.map((c) => c.kind === 'MarkReviewOverdue' && c.command.data.round)).toEqual([2, 2, 2]);
    });
  });

  describe('given a deadline that crosses into 2027, which has no calendar', () => {
    it('the round records calendar-missing:2027 (the deadline was counted Monday–Friday)', () => {
      const g = given(submitted('2026-12-20T02:00:00Z'), accepted(1, '2027-01-07', '2026-12-24T02:00:00Z'));
      expect(g.state.cases[A].calendarNotes).toEqual(['calendar-missing:2027']);
    });
  });

  describe('approval repair: a reservation its approval never settled', () => {
    const reserved = event(
      'AwardReserved',
      { uscc: '91341500MA2XXXXXX1', reservationId: 'res-1', applicationId: A, program: 'P2a', year: 2019, amountCny: '100.00' },
      '2020-03-02T02:00:00.000Z',
      'beneficiary-91341500MA2XXXXXX1',
    );

    it('is left alone within the grace period (the approval is still running)', () => {
      expect(given(reserved).when(tick('2020-03-02T02:00:59.999Z'))).toEqual([]);
    });
    it("is handed to the workflow's resumeApproval once the grace period is over, once per reservation", () => {
      const commands = given(reserved).when(tick('2020-03-02T02:01:00.000Z'));
      expect(commands).toEqual([
        {
          kind: 'ResumeApproval',
          commandId: deterministicId(reserved.eventId, 'ResumeApproval', 'res-1'),
          causationId: reserved.eventId,
          correlationId: 'corr-1',
          reservationId: 'res-1',
          uscc: '91341500MA2XXXXXX1',
          applicationId: A,
        },
      ]);
      expect(given(reserved).when(tick('2020-03-09T00:00:00Z'))).toEqual(commands);
    });
    it.each(['ReservationConfirmed', 'ReservationReleased'])('is settled by %s: nothing to repair', (type) => {
      const settled = event(type, { uscc: '91341500MA2XXXXXX1', reservationId: 'res-1', applicationId: A }, '2020-03-02T02:00:01Z', reserved.streamId);
      const g = given(reserved, settled);
      expect(g.state.reservations).toEqual({});
      expect(g.when(tick('2020-04-01T00:00:00Z'))).toEqual([]);
    });
    it('an approval on the case alone does not settle it (the ledger still holds it as reserved)', () => {
      const approved = event('AwardApproved', { applicationId: A, reservationId: 'res-1', commitmentId: 'c-1' }, '2020-03-02T02:00:01Z');
      const g = given(submitted(), reserved, approved);
      expect(g.state.reservations['res-1']).toMatchObject({ approved: true });
      expect(g.when(tick('2020-04-01T00:00:00Z')).map((c) => c.kind)).toEqual(['ResumeApproval']);
    });
  });
});
