import { ADMIN_ROLE, ADMIN_UNIT } from './identity';
import type { AccountManager, Grant } from './account.commands';

/** Letters, digits, `.`, `_`, `-`; 2 to 64 characters, starting with a letter or digit (it names the stream). */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$/;

export function usernameProblem(username: unknown): string | null {
  if (typeof username !== 'string') return 'must be a string';
  if (!USERNAME.test(username)) return 'must be 2-64 letters, digits, ".", "_" or "-", starting with a letter or digit';
  return null;
}

/** The stream of one account. */
export function accountStreamId(username: string): string {
  return `account-${username}`;
}

export const PASSWORD_MIN_LENGTH = 8;
/** Bounds the work of hashing one attempt; far above any passphrase. */
export const PASSWORD_MAX_LENGTH = 256;

/**
 * 等保2.0 level 3 (identity): at least 8 characters, mixing at least three of four classes: lower-case
 * letters, upper-case letters, digits, other characters (punctuation, spaces, any non-Latin character).
 * Returns what is wrong (empty when the password may be used); the password itself is never repeated.
 */
export function passwordProblems(password: unknown): string[] {
  if (typeof password !== 'string') return ['must be a string'];
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`must have at least ${PASSWORD_MIN_LENGTH} characters (has ${length})`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`must have at most ${PASSWORD_MAX_LENGTH} characters`);
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(password)).length;
  if (classes < 3) {
    problems.push(`must mix at least three of: lower-case letters, upper-case letters, digits, other characters (has ${classes})`);
  }
  return problems;
}

export function isAdministrator(who: { unit: string; role: string }): boolean {
  return who.unit === ADMIN_UNIT && who.role === ADMIN_ROLE;
}

/** The leading-group office (COM) opens applicants' accounts (docs/policy.md: COM registers enterprises). */
function isCommerceOfficer(who: { unit: string; role: string }): boolean {
  return who.unit === 'COM' && (who.role === 'officer' || who.role === 'head');
}

/**
 * Who may create an account with `grant`: an administrator any; a COM officer or head an applicant's
 * (unit APPLICANT); nobody else. Returns why not, or null.
 */
export function whyMayNotCreate(by: AccountManager, grant: Grant): string | null {
  if (isAdministrator(by)) return null;
  if (isCommerceOfficer(by)) {
    return grant.unit === 'APPLICANT' ? null : `${by.unit} ${by.role} "${by.user}" may create applicant accounts only (unit APPLICANT)`;
  }
  return `${by.unit} ${by.role} "${by.user}" may not create accounts: accounts are managed by ${ADMIN_UNIT} (role ${ADMIN_ROLE}); COM officers create applicant accounts`;
}

/** Changing, disabling, enabling and resetting an account: administrators only. */
export function whyMayNotManage(by: AccountManager): string | null {
  return isAdministrator(by) ? null : `${by.unit} ${by.role} "${by.user}" may not manage accounts: that is for ${ADMIN_UNIT} (role ${ADMIN_ROLE})`;
}
