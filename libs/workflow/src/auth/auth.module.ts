import { DynamicModule, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { EventStore } from '@cbec/event-store';
import { CommandContextGuard } from '../shared/command-context.guard';
import {
  AggregateStore,
  AuthStore,
  DATA_DIR,
  DATABASE_URL,
  EVENT_STORE,
  AccountsService,
  AUTH_SETTINGS,
  AuthSettings,
  authSettingsFromEnv,
  PostgresAuthStore,
  SqliteAuthStore,
  JwtAuthGuard,
  PasswordHasher,
} from '@cbec/platform';
import { SessionController } from '../login/session.controller';
import { CreateAccountController } from '../create-account/create-account.controller';
import { ListAccountsController } from '../list-accounts/list-accounts.controller';
import { ChangeAccountGrantController } from '../change-account-grant/change-account-grant.controller';
import { DisableAccountController } from '../disable-account/disable-account.controller';
import { ResetPasswordController } from '../reset-password/reset-password.controller';

@Injectable()
class AuthStoreLifecycle implements OnApplicationShutdown {
  constructor(private readonly store: AuthStore) {}
  async onApplicationShutdown(): Promise<void> {
    await this.store.close();
  }
}

/**
 * Installs the global guards, in this order (the order of APP_GUARD providers within one module): the JWT
 * guard (who the caller is: a Bearer token or the session cookie), then the command guard (a command's
 * context and its Idempotency-Key, which need the caller). Provides the accounts (credentials and sessions
 * in `<dataDir>/auth.db`, or in PostgreSQL with DATABASE_URL) and their routes: `/api/v1/session`, `/api/v1/accounts`. Needs WorkflowCoreModule's `'DATA_DIR'`, clock, store and IdempotencyStore.
 */
@Module({
  controllers: [
    SessionController,
    CreateAccountController,
    ListAccountsController,
    ChangeAccountGrantController,
    DisableAccountController,
    ResetPasswordController,
  ],
  providers: [
    { provide: AUTH_SETTINGS, useFactory: () => authSettingsFromEnv(process.env) },
    {
      provide: AuthStore,
      useFactory: (dataDir: string, databaseUrl: string | null | undefined): AuthStore =>
        databaseUrl ? new PostgresAuthStore(databaseUrl) : new SqliteAuthStore(dataDir),
      inject: [DATA_DIR, { token: DATABASE_URL, optional: true }],
    },
    AuthStoreLifecycle,
    {
      provide: AccountsService,
      useFactory: (aggregates: AggregateStore, store: EventStore, auth: AuthStore, settings: AuthSettings) =>
        new AccountsService(aggregates, store, auth, auth, new PasswordHasher(settings.scrypt), settings),
      inject: [AggregateStore, EVENT_STORE, AuthStore, AUTH_SETTINGS],
    },
    JwtAuthGuard,
    { provide: APP_GUARD, useExisting: JwtAuthGuard },
    { provide: APP_GUARD, useExisting: CommandContextGuard },
  ],
  exports: [JwtAuthGuard, AccountsService, AuthStore, AUTH_SETTINGS],
})
export class AuthModule {
  /** With the login rules of `env` (CBEC_LOGIN_*, CBEC_SESSION_*, CBEC_TRUST_PROXY, CBEC_SCRYPT_LOG_N). */
  static forRoot(env: NodeJS.ProcessEnv): DynamicModule {
    const settings = authSettingsFromEnv(env);
    return { module: AuthModule, providers: [{ provide: AUTH_SETTINGS, useValue: settings }], exports: [AUTH_SETTINGS] };
  }
}
