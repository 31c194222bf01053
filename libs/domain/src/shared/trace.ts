/**
 * One line of an auditor's explanation of an amount: an input with its source (which customs record,
 * which claim, which past award), an arithmetic step, or a cap applied.
 */
export interface TraceStep {
  step: string;
  value: string;
  source?: string;
}

export function traceStep(step: string, value: string, source?: string): TraceStep {
  return source === undefined ? { step, value } : { step, value, source };
}
