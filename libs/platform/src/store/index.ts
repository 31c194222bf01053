export * from './aggregate-store';
export * from './stream-integrity';
