export * from './tokens';
export * from './auth';
export * from './http';
export * from './validation';
export * from './store';
