import { Money } from '../../shared/money';
import { traceStep, TraceStep } from '../../shared/trace';
import { cny, readFigure, usd, zeroBreakthrough } from '../customs-figures';
import { percentOf, readingSource } from '../policy';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

/** Growth as a percentage with two decimals, truncated, for the auditor only: the decision compares integers. */
function percentText(from: Money, to: Money): string {
  const diff = to.minor - from.minor;
  const abs = diff < 0n ? -diff : diff;
  const bp = (abs * 10000n) / from.minor;
  return `${diff < 0n ? '-' : ''}${bp / 100n}.${(bp % 100n).toString().padStart(2, '0')}%`;
}

/**
 * 四（二）前段: 利用第三方跨境电子商务平台开展线上推广且本企业年出口增长10%以上, 或制造业企业利用第三方平台实现
 * 本企业出口额零的突破: 按服务年费和推广运营费给予70%补贴，单个企业最高不超过10万元 (the cap is the ledger's).
 */
export const p2aPlatformFeeSubsidy: Rule = (facts, policy) => {
  const { p2a } = policy;
  const trace: TraceStep[] = [];
  const uscc = facts.beneficiary.uscc.value;
  const y = facts.year;

  // Route 1: online promotion on a third-party platform and total exports grew >= 10% (customs statistics).
  const route1: ReasonCode[] = [];
  const promotes = facts.claims.promotesOnThirdPartyPlatform === true;
  trace.push(traceStep('promotes-online', { promotes }, 'claims.promotesOnThirdPartyPlatform'));
  if (!promotes) route1.push('not-promoting-online');
  const before = readFigure(facts, uscc, y - 1, 'totalExportUsd', trace);
  const now = readFigure(facts, uscc, y, 'totalExportUsd', trace);
  if (before.isZero()) {
    trace.push(traceStep('growth-needs-previous-exports', { previousYear: y - 1 }));
    route1.push('no-exports-in-previous-year');
  } else {
    // (now - before) / before >= minGrowthPercent / 100, in integers: 100 * now >= (100 + p) * before.
    const met = now.minor * 100n >= BigInt(100 + p2a.minGrowthPercent) * before.minor;
    trace.push(
      traceStep(
        'export-growth',
        { previousYear: y - 1, year: y, now: usd(now), before: usd(before), percent: percentText(before, now), minPercent: p2a.minGrowthPercent, met },
        `policy ${policy.version} p2a.minGrowthPercent`,
      ),
    );
    if (!met) route1.push('growth-below-threshold');
  }

  // Route 2: 制造业企业利用第三方跨境电子商务平台实现本企业出口额零的突破 — a manufacturer, on a third-party
  // platform (promoting on one is using one), whose exports made their zero breakthrough in Y. Not being a
  // manufacturer adds no reason of its own: route 1's reasons say why the enterprise does not qualify.
  let route2 = false;
  const route2Reasons: ReasonCode[] = [];
  if (route1.length > 0) {
    const manufacturing = facts.beneficiary.manufacturing === true;
    trace.push(traceStep('manufacturing', { manufacturing }, 'beneficiary.manufacturing'));
    if (manufacturing) {
      const uses = facts.claims.usesThirdPartyPlatform === true || promotes;
      trace.push(
        traceStep(
          'uses-third-party-platform',
          { uses },
          facts.claims.usesThirdPartyPlatform === undefined ? 'claims.promotesOnThirdPartyPlatform' : 'claims.usesThirdPartyPlatform',
        ),
      );
      if (!uses) route2Reasons.push('not-using-third-party-platform');
      const breakthrough = zeroBreakthrough(facts, uscc, y, ['totalExportUsd'], 'total exports', trace);
      if (!breakthrough) route2Reasons.push('no-zero-breakthrough');
      route2 = uses && breakthrough;
    }
  }
  const reasons: ReasonCode[] = route1.length === 0 || route2 ? [] : [...route1, ...route2Reasons];

  let fees = Money.zero('CNY');
  for (const fee of facts.claims.platformFeesCny ?? []) {
    fees = fees.add(fee.amount);
    trace.push(traceStep('platform-fee', { invoiceRef: fee.invoiceRef ?? null, amount: cny(fee.amount) }, fee.path));
  }
  trace.push(traceStep('fees-paid', { year: y, amount: cny(fees) }, 'claims.platformFeesCny'));
  if (fees.isZero()) reasons.push('no-fees-claimed');

  const computed = percentOf(policy, fees, p2a.ratePercent);
  if (reasons.length === 0) {
    trace.push(
      traceStep(
        'percent-of',
        { rate: p2a.ratePercent, base: cny(fees), amount: cny(computed), rounding: policy.rounding },
        readingSource(policy, 'rounding', 'p2a.ratePercent'),
      ),
    );
  }
  return outcome(computed, reasons, trace);
};
