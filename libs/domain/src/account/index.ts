export * from './identity';
export * from './account-rules';
export * from './account.commands';
export * from './account.decide';
export * from './account.decider';
export * from './account.errors';
export * from './account.events';
export * from './account.state';
