export * from './api-docs';
export * from './before-send';
export * from './errors';
export * from './idempotent-replay';
export * from './if-match';
export * from './problem.filter';
export * from './read-position.request';
