import type { Decider } from '../decider';
import type { BeneficiaryCommand } from './beneficiary.commands';
import { decideBeneficiary } from './beneficiary.decide';
import type { BeneficiaryEvent } from './beneficiary.events';
import { evolveBeneficiary, initialBeneficiaryState, type BeneficiaryState } from './beneficiary.state';

/** One beneficiary's award ledger (stream `beneficiary-<uscc>`): one-time rules, annual and article caps. */
export const beneficiaryDecider: Decider<BeneficiaryCommand, BeneficiaryEvent, BeneficiaryState> = {
  decide: decideBeneficiary,
  evolve: evolveBeneficiary,
  initialState: initialBeneficiaryState,
};
