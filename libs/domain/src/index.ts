export * from './shared/csv';
export * from './shared/money';
export * from './shared/amount-limits';
export * from './shared/trace';
export * from './i18n';
export * from './shared/persistent-map';
export * from './shared/uscc';
export * from './policy/programs';
export * from './policy/reasons';
export * from './policy/policy';
export * from './policy/after-decision';
export * from './policy/ledger-rules';
export * from './decider';
export * from './case';
export * from './beneficiary';
export * from './fund';
export * from './customs';
export * from './account';
export { InvalidCaseInput, CUSTOMS_FIGURES } from './policy/case-facts';
export type {
  CaseFacts,
  Claims,
  CustomsFigure,
  CustomsRecord as EvaluationCustomsRecord,
  StatedFigures,
  ExternalAward,
  PlatformFee,
  CalendarDate,
  RegisteredDivision,
  DeclaredService,
  Suspension,
} from './policy/case-facts';
export * from './shared/division';
export * from './policy/parse-evaluation-input';
export * from './policy/evaluate';
export * from './policy/proactive-candidates';
export * from './policy/admissibility';
export { localityOf, type Locality, type LocalityBasis } from './policy/locality';
export * from './policy/readings';
export * from './policy/describe-policy';
export { RULES } from './policy/rules';
export type { Rule, RuleOutcome } from './policy/rules';
export * from './events/upcasters';
