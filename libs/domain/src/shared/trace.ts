import { TRACE_TEXTS, type TraceParams, type TraceWords } from '../i18n/trace-texts';

/**
 * One line of an auditor's explanation of an amount: an input with its source (which customs record,
 * which claim, which past award), an arithmetic step, or a cap applied. The step is its `code` and
 * `params` (rendered in Chinese or English by libs/domain/src/i18n, docs/chinese.md), the `clause` of
 * 六政办秘〔2019〕4号 it applies and the `source` record it read. `step` and `value` hold the English words,
 * stored with it for readers that know no codes (docs/api.md's trace shape).
 */
export interface TraceStep {
  step: string;
  value: string;
  source?: string;
  code: string;
  params: TraceParams;
  clause?: string;
}

/** The English words of a code, money as the domain writes it ("CNY 4000.00"). */
export function storedWords(code: string, params: TraceParams): TraceWords {
  const template = Object.hasOwn(TRACE_TEXTS, code) ? TRACE_TEXTS[code].en : undefined;
  if (!template) throw new Error(`trace code "${code}" has no words in libs/domain/src/i18n/trace-texts.ts`);
  return template((key) => paramText(params, key), params, 'en');
}

export function paramText(params: TraceParams, key: string): string {
  const v = params[key];
  return v === null || v === undefined ? '' : String(v);
}

export function traceStep(code: string, params: TraceParams, source?: string, clause?: string): TraceStep {
  const { step, value } = storedWords(code, params);
  return { step, value, ...(source === undefined ? {} : { source }), code, params, ...(clause === undefined ? {} : { clause }) };
}

/** The same step, said to apply `clause` unless it names one already. */
export function withClause(step: TraceStep, clause: string): TraceStep {
  return step.clause === undefined ? { ...step, clause } : step;
}

/**
 * A step as the log holds it. Steps written before steps carried codes are text only; read any stored
 * step with `readTraceStep` (libs/domain/src/i18n/render-trace.ts), which gives those the code `legacy-text`.
 */
export type StoredTraceStep = Pick<TraceStep, 'step' | 'value' | 'source'> & Partial<Pick<TraceStep, 'code' | 'params' | 'clause'>>;
