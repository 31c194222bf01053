import type { DomainCommand } from '../decider';

/** Who asks: the caller's identity (an account, a token, or the operator's CLI acting as `ADMIN`/`admin`). */
export interface AccountManager {
  user: string;
  unit: string;
  role: string;
}

/** A stored credential, by reference: the hash itself never enters a command or an event. */
export interface CredentialRef {
  credentialId: string;
  scheme: string;
}

/** 等保2.0 level 3 defaults (docs/operations.md): 5 failures in 15 minutes lock for 15 minutes. */
export interface LockoutPolicy {
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 };

export interface Grant {
  unit: string;
  role: string;
  uscc?: string;
}

export type CreateAccount = DomainCommand<'CreateAccount', Grant & { username: string; displayName: string; credential: CredentialRef; by: AccountManager }>;
export type ChangeAccountGrant = DomainCommand<'ChangeAccountGrant', Grant & { by: AccountManager }>;
export type ResetPassword = DomainCommand<'ResetPassword', { credential: CredentialRef; by: AccountManager; at: string }>;
export type DisableAccount = DomainCommand<'DisableAccount', { by: AccountManager }>;
export type EnableAccount = DomainCommand<'EnableAccount', { by: AccountManager; at: string }>;
/** A wrong password was given for this account at `at`. */
export type RecordLoginFailure = DomainCommand<'RecordLoginFailure', { at: string; policy: LockoutPolicy }>;

export type AccountCommand = CreateAccount | ChangeAccountGrant | ResetPassword | DisableAccount | EnableAccount | RecordLoginFailure;
