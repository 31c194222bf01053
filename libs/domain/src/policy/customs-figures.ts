import { Money } from '../shared/money';
import { TraceStep, traceStep } from '../shared/trace';
import { CaseFacts, CustomsFigure, CustomsRecord, InvalidCaseInput } from './case-facts';

/**
 * Reading customs statistics for a rule. 海关统计数据 come from the imported statistics, never from
 * the applicant: a figure the claim states is only shown beside the customs one when they differ.
 */

export const usd = (m: Money): string => `USD ${m.toString()}`;
export const cny = (m: Money): string => `CNY ${m.toString()}`;

export function customsRecord(facts: CaseFacts, uscc: string, year: number): CustomsRecord | undefined {
  return facts.customs.find((c) => c.uscc === uscc && c.year === year);
}

/** One figure of `uscc` for `year`, traced with its source; no record (or null) means none recorded: zero. */
export function readFigure(facts: CaseFacts, uscc: string, year: number, key: CustomsFigure, trace: TraceStep[]): Money {
  const record = customsRecord(facts, uscc, year);
  let value: Money;
  if (!record) {
    value = Money.zero('USD');
    trace.push(traceStep('customs-figure-missing', { figure: key, uscc, year, amount: usd(value) }, `customs:${year}:${uscc}`));
  } else {
    const raw = record[key];
    if (raw === undefined) throw new InvalidCaseInput(`${record.path}.${key}`, 'is missing (the rule reads it)');
    value = raw ?? Money.zero('USD');
    trace.push(traceStep('customs-figure', { figure: key, uscc, year, amount: usd(value), noneRecorded: raw === null }, record.source));
  }
  for (const stated of facts.claims.statedCustoms ?? []) {
    const claimed = stated[key];
    if (stated.uscc === uscc && stated.year === year && claimed !== undefined && !claimed.equals(value)) {
      trace.push(traceStep('customs-figure-claim-differs', { figure: key, uscc, year, claimed: usd(claimed), customs: usd(value) }, `${stated.path}.${key}`));
    }
  }
  return value;
}

/** The sum of several figures (e.g. cross-border e-commerce imports + exports), each traced. */
export function readSum(facts: CaseFacts, uscc: string, year: number, keys: readonly CustomsFigure[], label: string, trace: TraceStep[]): Money {
  const sum = keys.map((k) => readFigure(facts, uscc, year, k, trace)).reduce((a, b) => a.add(b), Money.zero('USD'));
  if (keys.length > 1) trace.push(traceStep('customs-sum', { measure: label, uscc, year, figures: keys.join(','), amount: usd(sum) }));
  return sum;
}

/**
 * 零的突破 in `year`: nothing recorded in any year before it, more than zero in it. Every earlier
 * record is traced, so the auditor sees what "none before" rests on.
 */
export function zeroBreakthrough(facts: CaseFacts, uscc: string, year: number, keys: readonly CustomsFigure[], label: string, trace: TraceStep[]): boolean {
  const earlierYears = facts.customs
    .filter((c) => c.uscc === uscc && c.year < year)
    .map((c) => c.year)
    .sort((a, b) => a - b);
  let before = Money.zero('USD');
  for (const y of earlierYears) before = before.add(readSum(facts, uscc, y, keys, label, trace));
  if (earlierYears.length === 0) trace.push(traceStep('customs-none-before', { measure: label, uscc, year, amount: usd(before) }, `customs:<${year}:${uscc}`));
  const inYear = readSum(facts, uscc, year, keys, label, trace);
  const ok = before.isZero() && !inYear.isZero();
  trace.push(traceStep('zero-breakthrough', { measure: label, uscc, year, before: usd(before), inYear: usd(inYear), ok }));
  return ok;
}
