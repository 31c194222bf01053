import { traceStep, TraceStep } from '../../shared/trace';
import { cny, readFigure, usd } from '../customs-figures';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

/** 四（一）: 跨境电子商务年度出口在5万美元及以上（海关统计9610项下），一次性奖励5万元；与市级外贸政策不重复享受。 */
export const p1ExportReward: Rule = (facts, policy) => {
  const { p1 } = policy;
  const trace: TraceStep[] = [];
  const reasons: ReasonCode[] = [];
  const uscc = facts.beneficiary.uscc.value;

  const exports9610 = readFigure(facts, uscc, facts.year, 'export9610Usd', trace);
  const met = exports9610.gte(p1.minExport9610Usd);
  trace.push(
    traceStep(
      `9610 exports ${usd(exports9610)} >= ${usd(p1.minExport9610Usd)} (5万美元及以上, inclusive)`,
      met ? 'met' : 'not met',
      `policy ${policy.version} p1.minExport9610Usd`,
    ),
  );
  if (!met) reasons.push('below-threshold');

  // 与市级外贸政策不重复享受: the applicant's declaration, and any such award COM recorded.
  const declared = facts.claims.otherMunicipalTradeAward === true;
  trace.push(traceStep(`applicant declares a municipal foreign-trade award for ${facts.year}`, declared ? 'yes' : 'no', 'claims.otherMunicipalTradeAward'));
  const recorded = facts.externalAwards.filter((a) => a.kind === 'municipal-foreign-trade' && a.year === facts.year);
  for (const a of recorded) trace.push(traceStep(`municipal foreign-trade award recorded for ${a.year}`, a.ref ?? 'recorded', a.path));
  if (declared || recorded.length > 0) {
    const waived = facts.claims.waivesOtherMunicipalAward === true;
    trace.push(traceStep('the application waives the other municipal award', waived ? 'yes' : 'no', 'claims.waivesOtherMunicipalAward'));
    if (!waived) reasons.push('no-double-benefit');
  }

  if (reasons.length === 0) trace.push(traceStep('one-time reward (一次性奖励)', cny(p1.awardCny), `policy ${policy.version} p1.awardCny`));
  return outcome(p1.awardCny, reasons, trace);
};
