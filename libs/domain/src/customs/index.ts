export * from './customs.commands';
export * from './customs.decide';
export * from './customs.decider';
export * from './customs.errors';
export * from './customs.events';
export * from './customs.state';
