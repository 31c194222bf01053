export * from "./shared/money";
export * from './shared/trace';
export * from './shared/uscc';
export * from './policy/programs';
export * from './policy/reasons';
export * from './policy/policy';
export * from './policy/ledger-rules';
