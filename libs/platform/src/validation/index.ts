export * from './json-shape';
export * from './limits';
export * from './uscc.pipe';
export * from './validation';
export * from './year.pipe';
