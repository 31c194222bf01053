import { Money } from '../shared/money';
import { TraceStep, traceStep, withClause } from '../shared/trace';
import { CaseFacts, InvalidCaseInput } from './case-facts';
import { inadmissible } from './admissibility';
import { cny, unknownYearsOf } from './customs-figures';
import { Locality, LocalityBasis, localityOf } from './locality';
import { limitByLedger } from './ledger-rules';
import { parseEvaluationInput } from './parse-evaluation-input';
import { getPolicy, Policy } from './policy';
import { ProgramId } from './programs';
import { ReasonCode } from './reasons';
import { RULES } from './rules/rule-registry';

export interface Evaluation {
  program: ProgramId;
  year: number;
  beneficiary: string;
  eligible: boolean;
  /** What may be awarded now: zero when not eligible. */
  amount: Money;
  /** What the clause computes before caps. */
  computed: Money;
  capApplied: string | null;
  reasons: ReasonCode[];
  trace: TraceStep[];
  policyVersion: string;
  /** P3b: the recruits this award counts, to be recorded with it in the ledger. */
  recruitsCounted?: string[];
  /** Where the beneficiary (and each P3b recruit judged) is registered, with the basis: see locality.ts. */
  locality: Locality[];
  /** Years read whose customs statistics were never imported (`customs-year-not-imported`). */
  unknownCustomsYears?: number[];
}

/** The output JSON of docs/api.md's `evaluate`. */
export interface EvaluationJson {
  program: ProgramId;
  eligible: boolean;
  amountCny: string;
  computedCny: string;
  capApplied: string | null;
  reasons: ReasonCode[];
  trace: TraceStep[];
  policyVersion: string;
  recruitsCounted?: string[];
  locality: Locality[];
  unknownCustomsYears?: number[];
}

export interface EvaluateOptions {
  /** The clock: an award year not over at `now` is refused as the submission refuses it. Omitted: not asked. */
  now?: Date;
}

/** Evaluates validated case facts: the program's rule, then the ledger's caps, one-time rules and period. */
export function evaluateFacts(facts: CaseFacts, policy: Policy = getPolicy(facts.policyVersion), options: EvaluateOptions = {}): Evaluation {
  if (facts.policyVersion !== undefined && facts.policyVersion !== policy.version) {
    throw new InvalidCaseInput('policyVersion', `the case names "${facts.policyVersion}" but is evaluated under "${policy.version}"`);
  }
  const params = policy.programs[facts.program];
  const rule = RULES[params.rule];
  if (!rule) throw new Error(`policy ${policy.version} names rule "${params.rule}" for ${facts.program}, which does not exist`);

  const trace: TraceStep[] = [
    traceStep(
      'program',
      {
        program: facts.program,
        name: params.name,
        article: params.article,
        year: facts.year,
        leadUnit: params.leadUnit,
        cooperating: params.cooperatingUnits.join(', '),
        uscc: facts.beneficiary.uscc.value,
      },
      `policy ${policy.version}`,
      params.article,
    ),
  ];
  const locality: Locality[] = [];
  const base = {
    program: facts.program,
    year: facts.year,
    beneficiary: facts.beneficiary.uscc.value,
    policyVersion: policy.version,
    locality,
  };
  const refuse = (reasons: ReasonCode[], computed = Money.zero('CNY')): Evaluation => {
    trace.push(traceStep('not-eligible', { reasons: reasons.join(', ') }));
    const unknown = unknownYearsOf(trace);
    return {
      ...base,
      eligible: false,
      amount: Money.zero('CNY'),
      computed,
      capApplied: null,
      reasons,
      trace,
      ...(unknown.length > 0 ? { unknownCustomsYears: unknown } : {}),
    };
  };

  // What the submission refuses, evaluate refuses: a year the version does not govern, the wrong kind of
  // beneficiary, a year not over yet. Nothing is computed for them.
  const barred = inadmissible(policy, facts.program, facts.year, facts.beneficiary.kind, options.now);
  if (barred.length > 0) {
    for (const b of barred) trace.push(traceStep(b.code, b.params, b.field, params.article));
    return refuse(barred.map((b) => b.code));
  }

  // Every program of 四 is the city's (推动我市跨境电子商务; 在我市注册): the beneficiary registered in
  // Lu'an in the award year, a P4 park included.
  const localitySteps: TraceStep[] = [];
  const own = localityOf(facts, facts.beneficiary.uscc, policy, localitySteps, 'beneficiary.uscc');
  trace.push(...localitySteps.map((s) => withClause(s, params.article)));
  locality.push(own);

  const ruled = rule(facts, policy);
  // A rule's steps apply its program's clause; the ledger's steps (caps, one-time rules) name their own.
  trace.push(...ruled.trace.map((s) => withClause(s, params.article)));
  for (const s of ruled.trace) {
    if (s.code === 'registered-division' && s.params.uscc !== own.uscc) locality.push(localityFromStep(s));
  }
  // A figure of a year never imported is unknown, not zero: nothing is decided on it, so the reasons a zero
  // would give (below the threshold, a new enterprise) are not given; the trace still shows every check.
  if (unknownYearsOf(trace).length > 0) ruled.reasons = ['customs-year-not-imported'];
  if (!own.local) ruled.reasons.unshift('not-registered-locally');
  if (ruled.reasons.length === 0 && ruled.computed.isZero()) {
    // e.g. 70% of ¥0.01 rounds down to ¥0.00: an award of nothing is a refusal, not an approval.
    ruled.reasons.push('rounds-to-zero');
  }

  if (ruled.reasons.length > 0) {
    // The ledger may refuse as well (already awarded, period over): the applicant learns every reason at once.
    const ledger = limitByLedger(policy, facts.program, facts.year, Money.zero('CNY'), facts.history);
    const reasons = [...ruled.reasons];
    if (!ledger.ok) {
      trace.push(...ledger.trace);
      if (!reasons.includes(ledger.reason)) reasons.push(ledger.reason);
    }
    return refuse([...new Set(reasons)]);
  }

  trace.push(traceStep('computed-before-caps', { amount: cny(ruled.computed) }, undefined, params.article));
  const ledger = limitByLedger(policy, facts.program, facts.year, ruled.computed, facts.history);
  trace.push(...ledger.trace);
  if (!ledger.ok) return refuse([ledger.reason], ruled.computed);
  trace.push(traceStep('award', { amount: cny(ledger.amount), cap: ledger.capApplied }, undefined, params.article));
  const evaluation: Evaluation = {
    ...base,
    eligible: true,
    amount: ledger.amount,
    computed: ledger.computed,
    capApplied: ledger.capApplied,
    reasons: [],
    trace,
  };
  if (ruled.recruitsCounted !== undefined) evaluation.recruitsCounted = ruled.recruitsCounted;
  return evaluation;
}

/**
 * docs/api.md's `evaluate`: the case JSON (parsed strictly; bad input throws a typed error naming the field)
 * under `policy` (default: the version the case names, else LZB-2019-4).
 */
export function evaluate(input: unknown, policy?: Policy, options: EvaluateOptions = {}): Evaluation {
  const facts = parseEvaluationInput(input);
  return evaluateFacts(facts, policy ?? getPolicy(facts.policyVersion), options);
}

function localityFromStep(s: TraceStep): Locality {
  const basis = s.params.basis as LocalityBasis;
  return { uscc: String(s.params.uscc), division: String(s.params.division), local: s.params.local === true, basis, confirmed: basis !== 'uscc-prefix' };
}

export function evaluationToJson(e: Evaluation): EvaluationJson {
  const json: EvaluationJson = {
    program: e.program,
    eligible: e.eligible,
    amountCny: e.amount.toString(),
    computedCny: e.computed.toString(),
    capApplied: e.capApplied,
    reasons: e.reasons,
    trace: e.trace,
    policyVersion: e.policyVersion,
    locality: e.locality,
  };
  if (e.recruitsCounted !== undefined) json.recruitsCounted = e.recruitsCounted;
  if (e.unknownCustomsYears !== undefined) json.unknownCustomsYears = e.unknownCustomsYears;
  return json;
}

/** Errors that mean bad input (exit 2, HTTP 400): each names the offending field. */
export interface InputError {
  code: string;
  field: string;
  message: string;
}

export function isInputError(e: unknown): e is InputError & Error {
  return e instanceof Error && typeof (e as Partial<InputError>).field === 'string' && typeof (e as Partial<InputError>).code === 'string';
}
