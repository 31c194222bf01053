import type { DomainEvent } from '../decider';

/**
 * Events of the stream `account-<username>`. None holds a password or its hash: the hash lives in the
 * credential store (docs/architecture.md, "Accounts and credentials"), the events name it by
 * `credentialId` only, so every reader of the log (history, bundle, feed, Kafka) may show them.
 */
export type AccountCreated = DomainEvent<
  'AccountCreated',
  { username: string; unit: string; role: string; uscc?: string; displayName: string; createdBy: string }
>;
/** The account's first password. `scheme` names the hashing scheme (e.g. `scrypt`), never its output. */
export type AccountPasswordSet = DomainEvent<'AccountPasswordSet', { credentialId: string; scheme: string }>;
/** A new password set by an administrator (`users reset-password` or the HTTP reset). */
export type AccountPasswordReset = DomainEvent<'AccountPasswordReset', { credentialId: string; scheme: string; resetBy: string }>;
export type AccountGrantChanged = DomainEvent<
  'AccountGrantChanged',
  { unit: string; role: string; uscc?: string; previous: { unit: string; role: string; uscc?: string }; changedBy: string }
>;
export type AccountDisabled = DomainEvent<'AccountDisabled', { disabledBy: string }>;
export type AccountEnabled = DomainEvent<'AccountEnabled', { enabledBy: string }>;
/** A wrong password for an enabled, unlocked account; `failuresInWindow` counts this one. */
export type AccountLoginFailed = DomainEvent<'AccountLoginFailed', { at: string; failuresInWindow: number }>;
/** 等保2.0 (identity): too many failures in the window lock the account until `until` (the lock-out's end). */
export type AccountLockedOut = DomainEvent<'AccountLockedOut', { at: string; until: string; failures: number }>;
/** A lock-out lifted before its end by an administrator (enable or password reset). */
export type AccountUnlocked = DomainEvent<'AccountUnlocked', { at: string; unlockedBy: string; why: 'enabled' | 'password-reset' }>;

export type AccountEvent =
  | AccountCreated
  | AccountPasswordSet
  | AccountPasswordReset
  | AccountGrantChanged
  | AccountDisabled
  | AccountEnabled
  | AccountLoginFailed
  | AccountLockedOut
  | AccountUnlocked;

export const ACCOUNT_EVENT_TYPES: ReadonlyArray<AccountEvent['type']> = [
  'AccountCreated',
  'AccountPasswordSet',
  'AccountPasswordReset',
  'AccountGrantChanged',
  'AccountDisabled',
  'AccountEnabled',
  'AccountLoginFailed',
  'AccountLockedOut',
  'AccountUnlocked',
];
