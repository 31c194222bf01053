import { Money } from '../shared/money';
import { TraceStep, traceStep } from '../shared/trace';
import { articleOf, ledgerTerms, Policy, readingSource } from './policy';
import { ProgramId } from './programs';
import { ReasonCode } from './reasons';

/**
 * The caps, one-time rules and subsidy periods that the beneficiary ledger enforces. The evaluation
 * (read side) and the ledger aggregate (write side) both call `limitByLedger`, so the rule lives here once.
 */

/** An award the beneficiary already has (reserved or approved), any year. */
export interface AwardRecord {
  program: ProgramId;
  year: number;
  amountCny: Money;
  /** applicationId or an external reference: shown to the auditor as the source. */
  ref?: string;
  /** P3b only: the recruits (USCCs) this award counted; each counts once, ever. */
  recruits?: readonly string[];
}

export type LedgerCheck =
  { ok: true; amount: Money; computed: Money; capApplied: string | null; trace: TraceStep[] } | { ok: false; reason: ReasonCode; trace: TraceStep[] };

function sourceOf(record: AwardRecord, index: number): string {
  return record.ref ? `award:${record.ref}` : `history[${index}]`;
}

function cny(m: Money): string {
  return `CNY ${m.toString()}`;
}

/**
 * Given what the beneficiary already has (reserved or approved, all years), how much of `requested`
 * may be awarded now: one-time rules (P1 oncePer, P4), the P3a period, annual per-program caps and
 * article caps (P2a + P2b under 四（二）). A cap cuts the amount to what remains; nothing remaining is
 * `cap-exhausted`.
 */
export function limitByLedger(policy: Policy, program: ProgramId, year: number, requested: Money, history: readonly AwardRecord[]): LedgerCheck {
  const terms = ledgerTerms(policy, program);
  const programArticle = policy.programs[program].article;
  const trace: TraceStep[] = [];
  const indexed = history.map((record, index) => ({ record, index }));
  const sameProgram = indexed.filter(({ record }) => record.program === program);

  if (terms.oncePer !== null) {
    const prior = sameProgram.filter(({ record }) => terms.oncePer === 'beneficiary' || record.year === year);
    if (prior.length > 0) {
      const { record, index } = prior[0];
      trace.push(
        traceStep(
          'once-already-awarded',
          { program, oncePer: terms.oncePer, awardYear: record.year, amount: cny(record.amountCny) },
          sourceOf(record, index),
          programArticle,
        ),
      );
      return { ok: false, reason: 'already-awarded', trace };
    }
    trace.push(traceStep('once-none-earlier', { program, oncePer: terms.oncePer, year }, `policy ${policy.version}`, programArticle));
  }

  if (terms.periodYears !== null && terms.periodCounting === 'award-years') {
    // 补助期 read as a number of award years, not necessarily consecutive (readings: p3a.period).
    const years = [...new Set(sameProgram.map(({ record }) => record.year))].filter((y) => y !== year).sort((a, b) => a - b);
    trace.push(
      traceStep(
        'subsidy-award-years',
        { periodYears: terms.periodYears, awarded: years.join(',') || null, count: years.length },
        readingOf(policy, program),
        programArticle,
      ),
    );
    if (years.length >= terms.periodYears) return { ok: false, reason: 'period-over', trace };
  } else if (terms.periodYears !== null) {
    const years = sameProgram.map(({ record }) => record.year);
    const first = years.length > 0 ? Math.min(...years) : year;
    const last = first + terms.periodYears - 1;
    const firstAward = sameProgram.find(({ record }) => record.year === first);
    const firstSource = firstAward ? sourceOf(firstAward.record, firstAward.index) : 'this application';
    trace.push(traceStep('subsidy-period', { periodYears: terms.periodYears, first, last }, firstSource, programArticle));
    if (year > last) return { ok: false, reason: 'period-over', trace };
    if (year < first) return { ok: false, reason: 'outside-period', trace };
  }

  let amount = requested;
  let capApplied: string | null = null;

  const applyCap = (label: string, cap: Money, programs: readonly ProgramId[], everyYear = false): void => {
    const counted = indexed.filter(({ record }) => (everyYear || record.year === year) && programs.includes(record.program));
    for (const { record, index } of counted) {
      trace.push(
        traceStep('cap-already-awarded', { cap: label, program: record.program, year, amount: cny(record.amountCny) }, sourceOf(record, index), programArticle),
      );
    }
    const already = counted.reduce((sum, { record }) => sum.add(record.amountCny), Money.zero('CNY'));
    const room = cap.subOrZero(already);
    trace.push(traceStep('cap-room', { cap: label, capAmount: cny(cap), already: cny(already), room: cny(room) }, `policy ${policy.version}`, programArticle));
    if (amount.gt(room)) {
      trace.push(traceStep('cap-applied', { cap: label, amount: cny(amount), room: cny(room) }, undefined, programArticle));
      amount = room;
      capApplied = label;
    }
  };

  // A program cap counts the award year, or every year of the policy's life (readings: p2a.cap).
  if (terms.annualCapCny !== null && terms.capScope === 'policy-life') applyCap(`${program}-policy-life-cap`, terms.annualCapCny, [program], true);
  else if (terms.annualCapCny !== null) applyCap(`${program}-annual-cap`, terms.annualCapCny, [program]);
  const { article, params } = articleOf(policy, program);
  if (params.annualCapCny !== null) applyCap(`article-${article}-annual-cap`, params.annualCapCny, params.programs);

  if (amount.isZero() && !requested.isZero()) return { ok: false, reason: 'cap-exhausted', trace };
  return { ok: true, amount, computed: requested, capApplied, trace };
}

/** The trace source of the reading behind a program's period (p3a.periodCounting for P3a). */
function readingOf(policy: Policy, program: ProgramId): string {
  return readingSource(policy, `${program.toLowerCase()}.periodCounting`);
}

/** P3b: "An enterprise counts once, ever, for one platform only": the recruits this platform already counted. */
export function recruitsAlreadyCounted(history: readonly AwardRecord[]): Map<string, { record: AwardRecord; index: number }> {
  const counted = new Map<string, { record: AwardRecord; index: number }>();
  history.forEach((record, index) => {
    if (record.program !== 'P3b') return;
    for (const uscc of record.recruits ?? []) if (!counted.has(uscc)) counted.set(uscc, { record, index });
  });
  return counted;
}
