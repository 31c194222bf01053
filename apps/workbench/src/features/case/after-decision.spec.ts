import { openRecoveries, pendingRecheck, recheckOutcome, rechecksOf } from './after-decision';
import type { CaseDetail } from './allowed-actions';

const computation = (approvableCny: string) => ({ computedCny: approvableCny, approvableCny, trace: [], customsEventIds: [] });
const flag = (revised: string) => ({
  type: 'RecheckRequired',
  at: '2020-03-12T02:00:00.000Z',
  approvedCny: '50000.00',
  decided: computation('50000.00'),
  revised: computation(revised),
});
const recorded = {
  type: 'RecheckRecorded',
  at: '2020-03-13T02:00:00.000Z',
  outcome: 'lower',
  differenceCny: '20000.00',
  revisedCny: '30000.00',
  checkedBy: 'fin-head',
};
const caseWith = (sequels: unknown[], recoveries: unknown[] = []) => ({ sequels, recoveries }) as unknown as CaseDetail;

describe('the after-decision life as the case view carries it', () => {
  it('pairs each recheck flag with the recheck that answered it, in order; the next unanswered one is pending', () => {
    const c = caseWith([flag('30000.00'), { type: 'RepaymentRecorded', at: 'x' }, recorded, flag('60000.00')]);
    expect(rechecksOf(c).map((r) => r.recorded?.checkedBy ?? null)).toEqual(['fin-head', null]);
    expect(pendingRecheck(c)?.revised.approvableCny).toBe('60000.00');
    expect(pendingRecheck(caseWith([flag('30000.00'), recorded]))).toBeNull();
  });

  it('names the outcome the server will record from the two computations, compared in fen', () => {
    expect(recheckOutcome({ approvedCny: '50000.00', revised: computation('50000') })).toBe('unchanged');
    expect(recheckOutcome({ approvedCny: '50000.00', revised: computation('49999.99') })).toBe('lower');
    expect(recheckOutcome({ approvedCny: '50000.00', revised: computation('50000.01') })).toBe('higher');
  });

  it('keeps the recovery orders still owed', () => {
    const c = caseWith(
      [],
      [
        { recoveryId: 'a', settled: true },
        { recoveryId: 'b', settled: false },
      ],
    );
    expect(openRecoveries(c).map((r) => r.recoveryId)).toEqual(['b']);
  });
});
