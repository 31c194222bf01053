import { Money } from '../../shared/money';
import { traceStep, TraceStep } from '../../shared/trace';
import { addYears, compareDates, formatDate } from '../case-facts';
import { cny, readFigure, usd } from '../customs-figures';
import { percentOf, readingSource } from '../policy';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

/**
 * 四（三）前段: 在我市注册的（locality.ts, checked for every program）为企业提供通关、物流、融资、退税、结汇等综合配套服务的综合服务平台，正常运营一年以上、服务跨境电子商务企业10家以上、年累计本地在线进出口交易额
 * 达50万美元以上的，按平台软硬件当年实际投资40%给予补助 (period and cap are the ledger's).
 */
export const p3aPlatformInvestmentSubsidy: Rule = (facts, policy) => {
  const { p3a } = policy;
  const trace: TraceStep[] = [];
  const reasons: ReasonCode[] = [];
  const platform = facts.beneficiary.uscc;
  const y = facts.year;

  // 为企业提供通关、物流、融资、退税、结汇等综合配套服务: each required service declared, with its evidence.
  const declared = facts.claims.services ?? [];
  const missing: string[] = [];
  for (const service of p3a.requiredServices) {
    const found = declared.find((d) => d.service === service && d.evidence !== undefined);
    trace.push(
      traceStep(
        'platform-service',
        { service, declared: declared.some((d) => d.service === service), evidence: found?.evidence ?? null },
        found ? found.path : readingSource(policy, 'p3a.requiredServices'),
      ),
    );
    if (!found) missing.push(service);
  }
  if (missing.length > 0) reasons.push('services-not-declared');

  const since = facts.claims.operatingSince!;
  const yearEnd = { year: y, month: 12, day: 31 };
  const completes = addYears(since, p3a.minOperatingYears);
  const operated = compareDates(completes, yearEnd) <= 0;
  trace.push(
    traceStep(
      'operating-since',
      { since: formatDate(since), years: p3a.minOperatingYears, completes: formatDate(completes), yearEnd: formatDate(yearEnd), met: operated },
      'claims.operatingSince',
    ),
  );
  if (!operated) reasons.push('operating-less-than-a-year');
  // 正常运营: no suspension declared between the operating start and the end of the award year.
  for (const suspension of facts.claims.suspensions ?? []) {
    const overlaps = compareDates(suspension.from, yearEnd) <= 0 && (suspension.to === undefined || compareDates(suspension.to, since) >= 0);
    trace.push(
      traceStep(
        'operation-suspended',
        { from: formatDate(suspension.from), to: suspension.to ? formatDate(suspension.to) : null, yearEnd: formatDate(yearEnd), overlaps },
        suspension.path,
      ),
    );
    if (overlaps && !reasons.includes('not-operating-normally')) reasons.push('not-operating-normally');
  }

  const served = new Set((facts.claims.servedEnterprises ?? []).map((u) => u.value));
  served.delete(platform.value);
  const enough = served.size >= p3a.minServedEnterprises;
  trace.push(traceStep('served-enterprises', { year: y, min: p3a.minServedEnterprises, count: served.size, met: enough }, 'claims.servedEnterprises'));
  if (!enough) reasons.push('too-few-served-enterprises');

  const trade = readFigure(facts, platform.value, y, 'platformLocalOnlineTradeUsd', trace);
  const tradeMet = trade.gte(p3a.minLocalOnlineTradeUsd);
  trace.push(
    traceStep(
      'local-online-trade',
      { trade: usd(trade), min: usd(p3a.minLocalOnlineTradeUsd), met: tradeMet },
      `policy ${policy.version} p3a.minLocalOnlineTradeUsd`,
    ),
  );
  if (!tradeMet) reasons.push('below-threshold');

  const investment = facts.claims.investmentCny ?? Money.zero('CNY');
  trace.push(traceStep('investment', { year: y, amount: cny(investment) }, 'claims.investmentCny'));
  if (investment.isZero()) reasons.push('no-investment');
  const computed = percentOf(policy, investment, p3a.ratePercent);
  if (reasons.length === 0) {
    trace.push(
      traceStep(
        'percent-of',
        { rate: p3a.ratePercent, base: cny(investment), amount: cny(computed), rounding: policy.rounding },
        readingSource(policy, 'rounding', 'p3a.ratePercent'),
      ),
    );
  }
  return outcome(computed, reasons, trace);
};
