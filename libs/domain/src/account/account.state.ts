import type { AccountEvent } from './account.events';

export interface AccountState {
  /** Null until AccountCreated. */
  username: string | null;
  displayName: string;
  unit: string;
  role: string;
  uscc: string | null;
  enabled: boolean;
  credentialId: string | null;
  scheme: string | null;
  /** Times (ISO) of the failures since the last lock-out, unlock or password reset. */
  failures: string[];
  /** The end of the current or last lock-out (ISO); locked while `at < lockedUntil`. */
  lockedUntil: string | null;
}

export function initialAccountState(): AccountState {
  return { username: null, displayName: '', unit: '', role: '', uscc: null, enabled: false, credentialId: null, scheme: null, failures: [], lockedUntil: null };
}

export function evolveAccount(state: AccountState, event: AccountEvent): AccountState {
  switch (event.type) {
    case 'AccountCreated': {
      const d = event.data;
      return { ...state, username: d.username, displayName: d.displayName, unit: d.unit, role: d.role, uscc: d.uscc ?? null, enabled: true };
    }
    case 'AccountPasswordSet':
      return { ...state, credentialId: event.data.credentialId, scheme: event.data.scheme };
    case 'AccountPasswordReset':
      return { ...state, credentialId: event.data.credentialId, scheme: event.data.scheme, failures: [] };
    case 'AccountGrantChanged':
      return { ...state, unit: event.data.unit, role: event.data.role, uscc: event.data.uscc ?? null };
    case 'AccountDisabled':
      return { ...state, enabled: false };
    case 'AccountEnabled':
      return { ...state, enabled: true };
    case 'AccountLoginFailed':
      return { ...state, failures: [...state.failures, event.data.at] };
    case 'AccountLockedOut':
      return { ...state, failures: [], lockedUntil: event.data.until };
    case 'AccountUnlocked':
      return { ...state, failures: [], lockedUntil: null };
    default:
      // An event type this version does not know changes nothing it knows of.
      return state;
  }
}

/** Locked at `at` (ISO): a lock-out whose end is still ahead. */
export function isLocked(state: AccountState, at: string): boolean {
  return state.lockedUntil !== null && Date.parse(at) < Date.parse(state.lockedUntil);
}

/**
 * Why this account may not log in at `at`, or null when only the password remains to be checked. The
 * HTTP answer never tells which (one 401); the reason is for the server's own decision.
 */
export function loginRefusal(state: AccountState, at: string): 'unknown' | 'disabled' | 'locked' | 'no-password' | null {
  if (state.username === null) return 'unknown';
  if (!state.enabled) return 'disabled';
  if (isLocked(state, at)) return 'locked';
  if (state.credentialId === null) return 'no-password';
  return null;
}
