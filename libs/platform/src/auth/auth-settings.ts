import { DEFAULT_LOCKOUT, LockoutPolicy } from '@cbec/domain';
import { ScryptParams, scryptParamsFromEnv } from './password-hasher';

/** Login rules (等保2.0 level 3 defaults), each overridable by an environment variable (docs/operations.md). */
export interface AuthSettings {
  lockout: LockoutPolicy;
  /** A session unused this long ends (30). */
  idleMinutes: number;
  /** A session ends this long after login however busy (12). */
  maxSessionHours: number;
  /** Honour `X-Forwarded-Proto: https` from the proxy in front (CBEC_TRUST_PROXY=1) for the cookie's Secure flag. */
  trustProxy: boolean;
  scrypt: ScryptParams;
}

export const AUTH_SETTINGS = 'AUTH_SETTINGS';

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 100_000) throw new Error(`${name} must be a whole number from 1 to 100000, got ${JSON.stringify(raw)}`);
  return value;
}

export function authSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  return {
    lockout: {
      maxFailures: positive(env, 'CBEC_LOGIN_MAX_FAILURES', DEFAULT_LOCKOUT.maxFailures),
      windowMinutes: positive(env, 'CBEC_LOGIN_FAILURE_WINDOW_MINUTES', DEFAULT_LOCKOUT.windowMinutes),
      lockMinutes: positive(env, 'CBEC_LOGIN_LOCK_MINUTES', DEFAULT_LOCKOUT.lockMinutes),
    },
    idleMinutes: positive(env, 'CBEC_SESSION_IDLE_MINUTES', 30),
    maxSessionHours: positive(env, 'CBEC_SESSION_MAX_HOURS', 12),
    trustProxy: env.CBEC_TRUST_PROXY === '1',
    scrypt: scryptParamsFromEnv(env),
  };
}
