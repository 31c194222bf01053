import type { Decider } from '../decider';
import type { CustomsCommand } from './customs.commands';
import { decideCustoms } from './customs.decide';
import type { CustomsEvent } from './customs.events';
import { evolveCustoms, foldCustoms, initialCustomsState, type CustomsState } from './customs.state';

/** Customs statistics of one year (stream `customs-<year>`): figures in force, revisions kept. */
export const customsDecider: Decider<CustomsCommand, CustomsEvent, CustomsState> = {
  decide: decideCustoms,
  evolve: evolveCustoms,
  fold: foldCustoms,
  initialState: initialCustomsState,
};
