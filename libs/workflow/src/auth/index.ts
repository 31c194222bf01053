export * from './auth.module';
export * from '@cbec/platform';
