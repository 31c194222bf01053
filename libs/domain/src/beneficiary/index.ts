export * from './beneficiary.commands';
export * from './beneficiary.decide';
export * from './beneficiary.decider';
export * from './beneficiary.errors';
export * from './beneficiary.events';
export * from './beneficiary.state';
