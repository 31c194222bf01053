import { CommitmentNotFound, FundOverCommitted, FourEyes, InvalidTransition, RecruitAlreadyCounted } from '@cbec/domain';
import { VersionConflict } from '@cbec/platform';
import type { StepResult } from '../saga/saga';
import { runScripted } from '../saga/scripted-saga';
import { ApprovalStart, approvalSaga, PendingApproval, RecruitCountedElsewhere, startApproval } from './approval.saga';

const PLATFORM = '91341500MA2010017C';
const R1 = '91341522MA20100253';
const R2 = '91341522MA2010041Q';

const pending = (recruits: string[] = []): PendingApproval => ({
  applicationId: 'case-1',
  commitmentId: 'commitment-1',
  amountCny: '100000.00',
  computedCny: '100000.00',
  approvableCny: '100000.00',
  reasonIfLower: null,
  capApplied: null,
  trace: [{ step: 'award', value: '100000.00', code: 'award', params: {} }],
  policyVersion: 'v1',
  customsEventIds: [],
  approvedBy: 'fin-head',
  recruits,
});

const start = (over: Partial<ApprovalStart> = {}) =>
  startApproval({
    uscc: PLATFORM,
    year: 2019,
    reservationId: 'reservation-1',
    applicationId: 'case-1',
    pending: pending(),
    recruits: [],
    caseStatus: 'ready-for-decision',
    caseReservationId: null,
    ...over,
  });

/** Given a saga start, when each step has the outcome `refusals` names (done otherwise), then … */
function given(over: Partial<ApprovalStart> = {}) {
  return {
    when(refusals: Record<string, Error> = {}) {
      return runScripted(approvalSaga, start(over), (step): StepResult => {
        const error = refusals[step.step];
        return error ? { step: step.step, ok: false, error, byRule: !(error instanceof VersionConflict) } : { step: step.step, ok: true };
      });
    },
  };
}

const counted = (uscc: string) => new RecruitAlreadyCounted(uscc, { platformUscc: '91341502MA201005XH', year: 2019, applicationId: 'other' });

describe('the approval saga', () => {
  it('given a reservation, when every step is done, then it commits, approves and confirms, in that order', () => {
    const { steps, end } = given().when();
    expect(steps).toEqual(['CommitFunds', 'ApproveAward', 'ConfirmReservation']);
    expect(end).toEqual({ kind: 'completed' });
  });

  it('claims each P3b recruit on its own ledger before any money is committed', () => {
    const { steps } = given({ pending: pending([R1, R2]) }).when();
    expect(steps).toEqual([`RecordRecruitCounted:${R1}`, `RecordRecruitCounted:${R2}`, 'CommitFunds', 'ApproveAward', 'ConfirmReservation']);
  });

  it('when the fund refuses, then the claims and the reservation are released in reverse, and the refusal is the answer', () => {
    const refusal = new FundOverCommitted(2019, '10.00', '0.00', '100000.00', '10.00');
    const { steps, end } = given({ pending: pending([R1, R2]) }).when({ CommitFunds: refusal });
    expect(steps).toEqual([
      `RecordRecruitCounted:${R1}`,
      `RecordRecruitCounted:${R2}`,
      'CommitFunds',
      `ReleaseRecruitClaim:${R2}`,
      `ReleaseRecruitClaim:${R1}`,
      'ReleaseReservation',
    ]);
    expect(end).toEqual({ kind: 'failed', error: refusal });
  });

  it('when the case refuses the decision (four eyes), then the commitment is released first', () => {
    const refusal = new FourEyes('fin-head', 'approve', 'submitted');
    const { steps, end } = given().when({ ApproveAward: refusal });
    expect(steps).toEqual(['CommitFunds', 'ApproveAward', 'ReleaseCommitment', 'ReleaseReservation']);
    expect(end).toEqual({ kind: 'failed', error: refusal });
  });

  it('when another platform counted a recruit first, then every recruit is still tried, all is released, and the answer names who', () => {
    const { steps, end } = given({ pending: pending([R1, R2]) }).when({ [`RecordRecruitCounted:${R1}`]: counted(R1) });
    expect(steps).toEqual([
      `RecordRecruitCounted:${R1}`,
      `RecordRecruitCounted:${R2}`,
      `ReleaseRecruitClaim:${R2}`,
      `ReleaseRecruitClaim:${R1}`,
      'ReleaseReservation',
    ]);
    expect(end.kind).toBe('failed');
    const error = (end as { error: Error }).error as RecruitCountedElsewhere;
    expect(error).toBeInstanceOf(RecruitCountedElsewhere);
    expect(error.countedBy).toEqual([{ uscc: R1, platformUscc: '91341502MA201005XH', applicationId: 'other' }]);
  });

  it('given the case moved on before a resumed approval, then nothing goes forward: an earlier commitment (if any) and the reservation are released', () => {
    const { steps, end } = given({ caseStatus: 'rejected' }).when({ ReleaseCommitment: new CommitmentNotFound(2019, 'commitment-1') });
    expect(steps).toEqual(['ReleaseCommitment', 'ReleaseReservation']);
    expect(end.kind).toBe('failed');
    expect((end as { error: Error }).error).toBeInstanceOf(InvalidTransition);
  });

  it('given the case already holds this approval, then only the confirmation is left', () => {
    const { steps, end } = given({ caseStatus: 'approved', caseReservationId: 'reservation-1' }).when();
    expect(steps).toEqual(['ConfirmReservation']);
    expect(end).toEqual({ kind: 'completed' });
  });

  it('given a reservation that carries no decision, then it is released and nothing else is done', () => {
    const { steps, end } = given({ pending: null, recruits: [R1] }).when();
    expect(steps).toEqual([`ReleaseRecruitClaim:${R1}`, 'ReleaseReservation']);
    expect(end.kind).toBe('failed');
  });

  it('when the fund keeps conflicting (not a rule), then the saga stops where it is, for the process to resume', () => {
    const conflict = new VersionConflict('fund-2019', 3, 4);
    const { steps, end } = given().when({ CommitFunds: conflict });
    expect(steps).toEqual(['CommitFunds']);
    expect(end).toEqual({ kind: 'interrupted', error: conflict });
  });

  it('when the case conflicts on the decision, then that is an answer: the decision was taken on a case that changed', () => {
    const { steps } = given().when({ ApproveAward: new VersionConflict('application-case-1', 3, 4) });
    expect(steps).toEqual(['CommitFunds', 'ApproveAward', 'ReleaseCommitment', 'ReleaseReservation']);
  });
});
