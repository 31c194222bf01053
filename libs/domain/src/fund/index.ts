export * from './fund.commands';
export * from './fund.decide';
export * from './fund.decider';
export * from './fund.errors';
export * from './fund.events';
export * from './fund.state';
