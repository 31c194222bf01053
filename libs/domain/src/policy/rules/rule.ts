import { Money } from '../../shared/money';
import { TraceStep } from '../../shared/trace';
import { CaseFacts } from '../case-facts';
import { Policy } from '../policy';
import { ReasonCode } from '../reasons';

/**
 * A program's rule: the case facts and the policy parameters -> the amount the clause computes, or
 * the reasons it refuses. Caps, one-time rules and periods are the ledger's (ledger-rules.ts), applied after.
 */
export interface RuleOutcome {
  /** What the clause grants before any cap; zero when refused. */
  computed: Money;
  reasons: ReasonCode[];
  trace: TraceStep[];
  /** P3b: the recruits this award counts (each counts once, ever). */
  recruitsCounted?: string[];
}

export type Rule = (facts: CaseFacts, policy: Policy) => RuleOutcome;

export function outcome(computed: Money, reasons: ReasonCode[], trace: TraceStep[]): RuleOutcome {
  return { computed: reasons.length > 0 ? Money.zero('CNY') : computed, reasons, trace };
}
