import { Money } from '../../shared/money';
import { traceStep, TraceStep } from '../../shared/trace';
import { addYears, compareDates, formatDate } from '../case-facts';
import { cny, readFigure, usd } from '../customs-figures';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

/**
 * 四（三）前段: 在我市注册的综合服务平台，正常运营一年以上、服务跨境电子商务企业10家以上、年累计本地在线进出口交易额
 * 达50万美元以上的，按平台软硬件当年实际投资40%给予补助 (period and cap are the ledger's).
 */
export const p3aPlatformInvestmentSubsidy: Rule = (facts, policy) => {
  const { p3a } = policy;
  const trace: TraceStep[] = [];
  const reasons: ReasonCode[] = [];
  const platform = facts.beneficiary.uscc;
  const y = facts.year;

  const local = platform.isRegisteredIn(policy.localDivisionPrefix);
  trace.push(traceStep('registered-locally', { division: platform.divisionCode, prefix: policy.localDivisionPrefix, local }, 'beneficiary.uscc'));
  if (!local) reasons.push('not-registered-locally');

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
  const computed = investment.percentFloor(p3a.ratePercent);
  if (reasons.length === 0) {
    trace.push(traceStep('percent-of', { rate: p3a.ratePercent, base: cny(investment), amount: cny(computed) }, `policy ${policy.version} p3a.ratePercent`));
  }
  return outcome(computed, reasons, trace);
};
