import type { Decider } from '../decider';
import type { CaseCommand } from './case.commands';
import { decideCase } from './case.decide';
import type { CaseEvent } from './case.events';
import { evolveCase, initialCaseState, type CaseState } from './case.state';

/** One case (stream `application-<id>`): submission, routing, countersign rounds, decision, payment. */
export const caseDecider: Decider<CaseCommand, CaseEvent, CaseState> = {
  decide: decideCase,
  evolve: evolveCase,
  initialState: initialCaseState,
};
