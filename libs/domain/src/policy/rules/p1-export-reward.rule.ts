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
  trace.push(traceStep('p1-threshold', { exports: usd(exports9610), min: usd(p1.minExport9610Usd), met }, `policy ${policy.version} p1.minExport9610Usd`));
  if (!met) reasons.push('below-threshold');

  // 与市级外贸政策不重复享受: the applicant's declaration, and any such award COM recorded.
  const declared = facts.claims.otherMunicipalTradeAward === true;
  trace.push(traceStep('declares-municipal-award', { year: facts.year, declared }, 'claims.otherMunicipalTradeAward'));
  const recorded = facts.externalAwards.filter((a) => a.kind === 'municipal-foreign-trade' && a.year === facts.year);
  for (const a of recorded) trace.push(traceStep('municipal-award-recorded', { year: a.year, ref: a.ref ?? null }, a.path));
  if (declared || recorded.length > 0) {
    const waived = facts.claims.waivesOtherMunicipalAward === true;
    trace.push(traceStep('waives-municipal-award', { waived }, 'claims.waivesOtherMunicipalAward'));
    if (!waived) reasons.push('no-double-benefit');
  }

  if (reasons.length === 0) trace.push(traceStep('p1-one-time-reward', { amount: cny(p1.awardCny) }, `policy ${policy.version} p1.awardCny`));
  return outcome(p1.awardCny, reasons, trace);
};
