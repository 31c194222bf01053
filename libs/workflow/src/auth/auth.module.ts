import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CommandContextGuard } from '../shared/command-context.guard';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * Installs the global guards, in this order (the order of APP_GUARD providers within one module): the JWT
 * guard (who the caller is), then the command guard (a command's context and its Idempotency-Key, which
 * need the caller). Needs WorkflowCoreModule's `'DATA_DIR'`, clock and IdempotencyStore.
 */
@Module({
  providers: [JwtAuthGuard, { provide: APP_GUARD, useExisting: JwtAuthGuard }, { provide: APP_GUARD, useExisting: CommandContextGuard }],
  exports: [JwtAuthGuard],
})
export class AuthModule {}
