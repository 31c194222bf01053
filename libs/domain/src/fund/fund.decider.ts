import type { Decider } from '../decider';
import type { FundCommand } from './fund.commands';
import { decideFund } from './fund.decide';
import type { FundEvent } from './fund.events';
import { evolveFund, initialFundState, type FundState } from './fund.state';

/** The special fund of one year (stream `fund-<year>`): never over-committed, never over-paid. */
export const fundDecider: Decider<FundCommand, FundEvent, FundState> = {
  decide: decideFund,
  evolve: evolveFund,
  initialState: initialFundState,
};
