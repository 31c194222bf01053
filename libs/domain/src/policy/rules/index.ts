export * from './rule';
export * from './rule-registry';
