import { traceStep, TraceStep } from '../../shared/trace';
import { compareDates, formatDate } from '../case-facts';
import { cny } from '../customs-figures';
import { ReasonCode } from '../reasons';
import { outcome, Rule } from './rule';

/**
 * 四（四）: 对经认定的省级跨境电子商务产业园区，在省资金支持的基础上，由市财政一次性给予50万元支持 (once: the
 * ledger's; the park in the city: locality.ts). 经认定 for award year Y: recognised no later than 31 December of Y.
 */
export const p4ProvincialParkGrant: Rule = (facts, policy) => {
  const trace: TraceStep[] = [];
  const reasons: ReasonCode[] = [];
  const recognition = facts.claims.provincialRecognition!;
  const yearEnd = { year: facts.year, month: 12, day: 31 };
  const inTime = compareDates(recognition.date, yearEnd) <= 0;
  trace.push(
    traceStep(
      'provincial-recognition',
      { documentNo: recognition.documentNo, date: formatDate(recognition.date), yearEnd: formatDate(yearEnd), met: inTime },
      'claims.provincialRecognition',
    ),
  );
  if (!inTime) reasons.push('recognised-after-award-year');
  else trace.push(traceStep('p4-one-time-grant', { amount: cny(policy.p4.awardCny) }, `policy ${policy.version} p4.awardCny`));
  return outcome(policy.p4.awardCny, reasons, trace);
};
