export * from './process.state';
export * from './react';
export * from './process-state.store';
export * from './postgres-process-state.store';
export * from './process-dispatcher';
export * from './process-manager';
export * from './process-lease';
export * from './process.module';
