/** Refusal reason codes of docs/api.md (kebab-case, stable: clients match on them). */
export type ReasonCode =
  | 'below-threshold'
  | 'already-awarded'
  | 'no-double-benefit'
  | 'new-enterprise'
  | 'growth-below-threshold'
  | 'period-over'
  | 'too-few-served-enterprises'
  | 'operating-less-than-a-year'
  | 'not-registered-locally'
  | 'cap-exhausted'
  | 'outside-period'
  | 'not-promoting-online'
  | 'no-exports-in-previous-year'
  | 'no-zero-breakthrough'
  | 'no-fees-claimed'
  | 'no-increment'
  | 'no-investment'
  | 'no-qualifying-recruits'
  | 'rounds-to-zero'
  | 'not-using-third-party-platform'
  | 'customs-year-not-imported'
  | 'services-not-declared'
  | 'not-operating-normally'
  | 'recognised-after-award-year'
  | 'policy-not-in-force'
  | 'wrong-beneficiary-kind'
  | 'award-year-not-over';

export const REASON_CODES: readonly ReasonCode[] = [
  'below-threshold',
  'already-awarded',
  'no-double-benefit',
  'new-enterprise',
  'growth-below-threshold',
  'period-over',
  'too-few-served-enterprises',
  'operating-less-than-a-year',
  'not-registered-locally',
  'cap-exhausted',
  'outside-period',
  'not-promoting-online',
  'no-exports-in-previous-year',
  'no-zero-breakthrough',
  'no-fees-claimed',
  'no-increment',
  'no-investment',
  'no-qualifying-recruits',
  'rounds-to-zero',
  'not-using-third-party-platform',
  'customs-year-not-imported',
  'services-not-declared',
  'not-operating-normally',
  'recognised-after-award-year',
  'policy-not-in-force',
  'wrong-beneficiary-kind',
  'award-year-not-over',
];
