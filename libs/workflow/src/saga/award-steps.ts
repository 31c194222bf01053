import { beneficiaryStreamId, caseStreamId, ExistingCase, fundStreamId } from '@cbec/domain';
import type { SagaStep } from './saga';

/**
 * The steps that give a decided, unpaid award back: the fund's commitment, then the ledger's hold on the
 * caps (after the case recorded why). The ids are the approval's, named on the case.
 */
export function releaseAwardSteps(theCase: ExistingCase, reason: string): SagaStep[] {
  const { commitmentId, reservationId } = theCase.approval!;
  const uscc = theCase.beneficiary.uscc;
  return [
    {
      step: 'ReleaseCommitment',
      aggregate: 'fund',
      streamId: fundStreamId(theCase.year),
      command: { type: 'ReleaseCommitment', data: { year: theCase.year, commitmentId, reason } },
    },
    {
      step: 'ReleaseAward',
      aggregate: 'beneficiary',
      streamId: beneficiaryStreamId(uscc),
      command: { type: 'ReleaseAward', data: { uscc, reservationId, reason } },
    },
  ];
}

export const caseStep = (theCase: ExistingCase, step: Omit<Extract<SagaStep, { aggregate: 'case' }>, 'aggregate' | 'streamId'>): SagaStep => ({
  ...step,
  aggregate: 'case',
  streamId: caseStreamId(theCase.applicationId),
});
