export * from './case.commands';
export * from './case.decide';
export * from './case.decider';
export * from './case.errors';
export * from './case.events';
export * from './case.state';
