export * from './actor';
export * from './auth.module';
export * from './authorization';
export * from './current-actor.decorator';
export * from './jwt-auth.guard';
export * from './jwt-secret';
export * from './public.decorator';
export * from './token';
