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
  trace.push(
    traceStep(
      `registered in the city: division code ${platform.divisionCode} starts with ${policy.localDivisionPrefix}`,
      local ? 'yes' : 'no',
      'beneficiary.uscc',
    ),
  );
  if (!local) reasons.push('not-registered-locally');

  const since = facts.claims.operatingSince!;
  const yearEnd = { year: y, month: 12, day: 31 };
  const completes = addYears(since, p3a.minOperatingYears);
  const operated = compareDates(completes, yearEnd) <= 0;
  trace.push(
    traceStep(
      `operating since ${formatDate(since)}: ${p3a.minOperatingYears} year(s) complete on ${formatDate(completes)}, by ${formatDate(yearEnd)} (一年以上, inclusive)`,
      operated ? 'met' : 'not met',
      'claims.operatingSince',
    ),
  );
  if (!operated) reasons.push('operating-less-than-a-year');

  const served = new Set((facts.claims.servedEnterprises ?? []).map((u) => u.value));
  served.delete(platform.value);
  const enough = served.size >= p3a.minServedEnterprises;
  trace.push(
    traceStep(
      `distinct enterprises served in ${y} (the platform itself excluded) >= ${p3a.minServedEnterprises} (10家以上, inclusive)`,
      `${served.size}: ${enough ? 'met' : 'not met'}`,
      'claims.servedEnterprises',
    ),
  );
  if (!enough) reasons.push('too-few-served-enterprises');

  const trade = readFigure(facts, platform.value, y, 'platformLocalOnlineTradeUsd', trace);
  const tradeMet = trade.gte(p3a.minLocalOnlineTradeUsd);
  trace.push(
    traceStep(
      `local online imports + exports ${usd(trade)} >= ${usd(p3a.minLocalOnlineTradeUsd)} (50万美元以上, inclusive)`,
      tradeMet ? 'met' : 'not met',
      `policy ${policy.version} p3a.minLocalOnlineTradeUsd`,
    ),
  );
  if (!tradeMet) reasons.push('below-threshold');

  const investment = facts.claims.investmentCny ?? Money.zero('CNY');
  trace.push(traceStep(`software and hardware investment in ${y}`, cny(investment), 'claims.investmentCny'));
  if (investment.isZero()) reasons.push('no-investment');
  const computed = investment.percentFloor(p3a.ratePercent);
  if (reasons.length === 0) {
    trace.push(traceStep(`${p3a.ratePercent}% of ${cny(investment)}, rounded down to the fen`, cny(computed), `policy ${policy.version} p3a.ratePercent`));
  }
  return outcome(computed, reasons, trace);
};
