import { traceStep, TraceStep } from '../../shared/trace';
import { formatDate } from '../case-facts';
import { cny } from '../customs-figures';
import { outcome, Rule } from './rule';

/** 四（四）: 对经认定的省级跨境电子商务产业园区，在省资金支持的基础上，由市财政一次性给予50万元支持 (once: the ledger's). */
export const p4ProvincialParkGrant: Rule = (facts, policy) => {
  const trace: TraceStep[] = [];
  const recognition = facts.claims.provincialRecognition!;
  trace.push(traceStep('provincial-recognition', { documentNo: recognition.documentNo, date: formatDate(recognition.date) }, 'claims.provincialRecognition'));
  trace.push(traceStep('p4-one-time-grant', { amount: cny(policy.p4.awardCny) }, `policy ${policy.version} p4.awardCny`));
  return outcome(policy.p4.awardCny, [], trace);
};
