import { Money } from '../shared/money';
import { TraceStep, traceStep, withClause } from '../shared/trace';
import { CaseFacts, InvalidCaseInput } from './case-facts';
import { cny } from './customs-figures';
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
}

/** Evaluates validated case facts: the program's rule, then the ledger's caps, one-time rules and period. */
export function evaluateFacts(facts: CaseFacts, policy: Policy = getPolicy(facts.policyVersion)): Evaluation {
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
  const base = {
    program: facts.program,
    year: facts.year,
    beneficiary: facts.beneficiary.uscc.value,
    policyVersion: policy.version,
  };

  const ruled = rule(facts, policy);
  // A rule's steps apply its program's clause; the ledger's steps (caps, one-time rules) name their own.
  trace.push(...ruled.trace.map((s) => withClause(s, params.article)));
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
    trace.push(traceStep('not-eligible', { reasons: reasons.join(', ') }));
    return { ...base, eligible: false, amount: Money.zero('CNY'), computed: Money.zero('CNY'), capApplied: null, reasons, trace };
  }

  trace.push(traceStep('computed-before-caps', { amount: cny(ruled.computed) }, undefined, params.article));
  const ledger = limitByLedger(policy, facts.program, facts.year, ruled.computed, facts.history);
  trace.push(...ledger.trace);
  if (!ledger.ok) {
    trace.push(traceStep('not-eligible', { reasons: ledger.reason }));
    return { ...base, eligible: false, amount: Money.zero('CNY'), computed: ruled.computed, capApplied: null, reasons: [ledger.reason], trace };
  }
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
export function evaluate(input: unknown, policy?: Policy): Evaluation {
  const facts = parseEvaluationInput(input);
  return evaluateFacts(facts, policy ?? getPolicy(facts.policyVersion));
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
  };
  if (e.recruitsCounted !== undefined) json.recruitsCounted = e.recruitsCounted;
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
