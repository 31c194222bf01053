import { CapExceeded, CommitmentNotFound, FundOverCommitted, FourEyes } from '@cbec/domain';
import { VersionConflict } from '@cbec/platform';
import type { SagaStep, StepResult } from '../saga/saga';
import { runScripted } from '../saga/scripted-saga';
import { startSupplement, supplementSaga } from './supplement.saga';

const start = startSupplement({
  applicationId: 'case-1',
  uscc: '91341500MA2010017C',
  year: 2019,
  supplementId: 'supplement-1',
  reservationId: 'reservation-1',
  commitmentId: 'commitment-s1',
  fromCny: '4000.00',
  toCny: '6000.00',
  amountCny: '2000.00',
  approvedBy: 'fin-head',
  policyVersion: 'LZB-2019-4',
});

/** Given a countersigned supplement, when each step has the outcome `refusals` names (done otherwise), then … */
function when(refusals: Record<string, Error> = {}) {
  const taken: SagaStep[] = [];
  const run = runScripted(supplementSaga, start, (step): StepResult => {
    taken.push(step);
    const error = refusals[step.step];
    return error ? { step: step.step, ok: false, error, byRule: !(error instanceof VersionConflict) } : { step: step.step, ok: true };
  });
  return { ...run, taken };
}

describe('the 补发 saga (a supplementary award through the approval)', () => {
  it('raises the award on the ledger to its new total, commits the difference only on a fund commitment of its own, then records the decision', () => {
    const { steps, end, taken } = when();
    expect(steps).toEqual(['RaiseAward', 'CommitFunds', 'ApproveSupplement']);
    expect(end).toEqual({ kind: 'completed' });
    expect(taken[0].command).toMatchObject({ type: 'AdjustAward', data: { toCny: '6000.00', adjustmentId: 'supplement-1' } });
    expect(taken[1].command).toMatchObject({ type: 'CommitFunds', data: { amountCny: '2000.00', commitmentId: 'commitment-s1' } });
  });

  it('the caps leave no room for it: refused on the ledger, nothing else is done', () => {
    const cap = new CapExceeded([]);
    const { steps, end } = when({ RaiseAward: cap });
    expect(steps).toEqual(['RaiseAward']);
    expect(end).toEqual({ kind: 'failed', error: cap });
  });

  it('the fund cannot take the difference: the ledger goes back to the amount before', () => {
    const over = new FundOverCommitted(2019, '1000000.00', '999000.00', '2000.00', '1000.00');
    const { steps, end, taken } = when({ CommitFunds: over });
    expect(steps).toEqual(['RaiseAward', 'CommitFunds', 'RestoreAward']);
    expect(taken[2].command).toMatchObject({ type: 'AdjustAward', data: { toCny: '4000.00' } });
    expect(end).toEqual({ kind: 'failed', error: over });
  });

  it('the case refuses the decision (four eyes): the commitment is released and the ledger restored, in reverse', () => {
    const fourEyes = new FourEyes('fin-head', 'approve the supplementary award', 'recorded COM’s opinion on');
    const { steps, end } = when({ ApproveSupplement: fourEyes });
    expect(steps).toEqual(['RaiseAward', 'CommitFunds', 'ApproveSupplement', 'ReleaseCommitment', 'RestoreAward']);
    expect(end).toEqual({ kind: 'failed', error: fourEyes });
    // A commitment an earlier run never made is nothing to release.
    expect(when({ ApproveSupplement: fourEyes, ReleaseCommitment: new CommitmentNotFound(2019, 'commitment-s1') }).end).toEqual({
      kind: 'failed',
      error: fourEyes,
    });
  });

  it('a conflict that outlived its retries on the ledger or the fund interrupts it (run again, it continues); on the case it is the answer', () => {
    const conflict = new VersionConflict('fund-2019', 3, 4);
    expect(when({ CommitFunds: conflict }).end).toEqual({ kind: 'interrupted', error: conflict });
    const onCase = new VersionConflict('application-case-1', 3, 4);
    const { steps, end } = when({ ApproveSupplement: onCase });
    expect(steps.slice(-2)).toEqual(['ReleaseCommitment', 'RestoreAward']);
    expect(end).toEqual({ kind: 'failed', error: onCase });
  });
});
