import { Money } from '../../shared/money';
import { traceStep, TraceStep } from '../../shared/trace';
import { cny, readSum, usd, zeroBreakthrough } from '../customs-figures';
import { readingSource } from '../policy';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

const TRADE = ['cbecImportUsd', 'cbecExportUsd'] as const;

/**
 * 四（二）后段: 对被认定的年跨境电子商务进出口增量部分（不包括新企业进出口总量），每5万美元补助人民币2000元.
 */
export const p2bTradeIncrementSubsidy: Rule = (facts, policy) => {
  const { p2b } = policy;
  const trace: TraceStep[] = [];
  const reasons: ReasonCode[] = [];
  const uscc = facts.beneficiary.uscc.value;
  const y = facts.year;

  const before = readSum(facts, uscc, y - 1, TRADE, 'cross-border e-commerce trade', trace);
  const now = readSum(facts, uscc, y, TRADE, 'cross-border e-commerce trade', trace);
  // 不包括新企业进出口总量 (reading p2b.newEnterprise): without trade in Y-1 there is no recognised increment;
  // under the other reading, trade first recorded in Y-1 makes a new enterprise too.
  let isNew = before.isZero();
  if (!isNew && p2b.newEnterprise === 'first-trade-in-previous-or-award-year') {
    isNew = zeroBreakthrough(facts, uscc, y - 1, TRADE, 'cross-border e-commerce trade', trace);
  }
  let computed = Money.zero('CNY');
  if (isNew) {
    trace.push(
      traceStep('new-enterprise', { previousYear: y - 1, amount: usd(before), reading: p2b.newEnterprise }, readingSource(policy, 'p2b.newEnterprise')),
    );
    reasons.push('new-enterprise');
  } else if (now.lte(before)) {
    trace.push(traceStep('no-increment', { now: usd(now), before: usd(before) }));
    reasons.push('no-increment');
  } else {
    const increment = now.sub(before);
    trace.push(traceStep('increment', { now: usd(now), before: usd(before), amount: usd(increment) }));
    const steps = increment.wholeSteps(p2b.stepUsd);
    trace.push(
      traceStep('whole-steps', { stepUsd: usd(p2b.stepUsd), increment: usd(increment), steps: steps.toString() }, `policy ${policy.version} p2b.stepUsd`),
    );
    computed = p2b.awardPerStepCny.times(steps);
    trace.push(
      traceStep(
        'steps-times',
        { steps: steps.toString(), per: cny(p2b.awardPerStepCny), amount: cny(computed) },
        `policy ${policy.version} p2b.awardPerStepCny`,
      ),
    );
    if (steps === 0n) reasons.push('below-threshold');
  }
  return outcome(computed, reasons, trace);
};
