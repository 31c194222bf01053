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

/** Whether the customs statistics of `year` were imported (a record of any enterprise for it, or `customsYears`). */
export function isYearImported(facts: CaseFacts, year: number): boolean {
  return facts.customsYears.includes(year);
}

/** The trace code of a read of a year whose statistics were never imported: the evaluation refuses on it. */
export const YEAR_NOT_IMPORTED = 'customs-year-not-imported';

/** The years a trace read without their statistics imported (what `customs-year-not-imported` names). */
export function unknownYearsOf(trace: readonly TraceStep[]): number[] {
  const years = trace.filter((s) => s.code === YEAR_NOT_IMPORTED).map((s) => Number(s.params.year));
  return [...new Set(years)].sort((a, b) => a - b);
}

/**
 * One figure of `uscc` for `year`, traced with its source. No record in an imported year (or null) means
 * none recorded: zero. No record in a year never imported is unknown: traced as such, and the evaluation
 * refuses (`customs-year-not-imported`) rather than read it as zero.
 */
export function readFigure(facts: CaseFacts, uscc: string, year: number, key: CustomsFigure, trace: TraceStep[]): Money {
  const record = customsRecord(facts, uscc, year);
  let value: Money;
  if (!record && !isYearImported(facts, year)) {
    value = Money.zero('USD');
    if (!trace.some((s) => s.code === YEAR_NOT_IMPORTED && s.params.year === year)) {
      trace.push(traceStep(YEAR_NOT_IMPORTED, { year, uscc }, `customs:${year}`));
    }
    return value;
  } else if (!record) {
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
 * 零的突破 in `year`: nothing recorded in any earlier year whose statistics were imported, more than zero
 * in it. The earlier years read are every year from the first one known (imported, or carrying a record)
 * to `year - 1`, and at least `year - 1`: one of them never imported is unknown, not zero (readFigure
 * traces it, and the evaluation refuses naming it). Every earlier record is traced, so the auditor sees
 * what "none before" rests on.
 */
export function zeroBreakthrough(facts: CaseFacts, uscc: string, year: number, keys: readonly CustomsFigure[], label: string, trace: TraceStep[]): boolean {
  const known = [...facts.customsYears, ...facts.customs.map((c) => c.year)].filter((y) => y < year);
  const first = Math.min(year - 1, ...known);
  const earlierYears = Array.from({ length: year - first }, (_, i) => first + i);
  let before = Money.zero('USD');
  for (const y of earlierYears) {
    if (!customsRecord(facts, uscc, y) && isYearImported(facts, y)) continue;
    before = before.add(readSum(facts, uscc, y, keys, label, trace));
  }
  if (!earlierYears.some((y) => customsRecord(facts, uscc, y))) {
    const imported = earlierYears.filter((y) => isYearImported(facts, y));
    trace.push(traceStep('customs-none-before', { measure: label, uscc, year, years: imported.join(','), amount: usd(before) }, `customs:<${year}:${uscc}`));
  }
  const inYear = readSum(facts, uscc, year, keys, label, trace);
  const ok = before.isZero() && !inYear.isZero();
  trace.push(traceStep('zero-breakthrough', { measure: label, uscc, year, before: usd(before), inYear: usd(inYear), ok }));
  return ok;
}
