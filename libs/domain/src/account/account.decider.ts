import type { Decider } from '../decider';
import type { AccountCommand } from './account.commands';
import { decideAccount } from './account.decide';
import type { AccountEvent } from './account.events';
import { type AccountState, evolveAccount, initialAccountState } from './account.state';

/** One person's account (stream `account-<username>`): who granted what, passwords set, lock-outs. */
export const accountDecider: Decider<AccountCommand, AccountEvent, AccountState> = {
  decide: decideAccount,
  evolve: evolveAccount,
  initialState: initialAccountState,
};
