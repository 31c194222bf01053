export * from './command-context.decorator';
export * from './command-context.guard';
export * from './idempotency.store';
export * from './workflow-core.module';
export * from './postgres-idempotency.store';
