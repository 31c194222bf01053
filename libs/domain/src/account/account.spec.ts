import { deciderSpec, evolveAll, InvalidTransition } from '../decider';
import type { AccountCommand, AccountManager, LockoutPolicy } from './account.commands';
import { DEFAULT_LOCKOUT } from './account.commands';
import { accountDecider } from './account.decider';
import { AccountChangeForbidden, AccountExists, InvalidAccountInput } from './account.errors';
import type { AccountEvent } from './account.events';
import { passwordProblems } from './account-rules';
import { isLocked, loginRefusal } from './account.state';

const given = deciderSpec(accountDecider);
const USCC = '91341500MA2010017C';
const admin: AccountManager = { user: 'root', unit: 'ADMIN', role: 'admin' };
const comOfficer: AccountManager = { user: 'com-1', unit: 'COM', role: 'officer' };
const credential = { credentialId: 'cred-1', scheme: 'scrypt' };

const create = (by: AccountManager, grant: { unit: string; role: string; uscc?: string }, username = 'li'): AccountCommand => ({
  type: 'CreateAccount',
  data: { username, displayName: '李四', credential, by, ...grant },
});
const created = (grant: { unit: string; role: string; uscc?: string } = { unit: 'FIN', role: 'head' }): AccountEvent[] => [
  { type: 'AccountCreated', data: { username: 'li', ...grant, displayName: '李四', createdBy: 'root' } },
  { type: 'AccountPasswordSet', data: credential },
];
const fail = (at: string, policy: LockoutPolicy = DEFAULT_LOCKOUT): AccountCommand => ({ type: 'RecordLoginFailure', data: { at, policy } });
const failed = (at: string, failuresInWindow: number): AccountEvent => ({ type: 'AccountLoginFailed', data: { at, failuresInWindow } });
const minute = (n: number): string => new Date(Date.UTC(2026, 0, 5, 1, 0, 0) + n * 60_000).toISOString();

describe('the password rule (等保2.0 level 3)', () => {
  it('takes 8 characters mixing three classes', () => {
    expect(passwordProblems('Abcdefg1')).toEqual([]);
    expect(passwordProblems('abcdef1!')).toEqual([]);
    expect(passwordProblems('六安市财政局a1')).toEqual([]);
  });

  it('refuses a short password and one of two classes, saying why without repeating it', () => {
    expect(passwordProblems('Ab1!')).toEqual(['must have at least 8 characters (has 4)']);
    const [problem] = passwordProblems('abcdefgh123');
    expect(problem).toMatch(/three of/);
    expect(problem).not.toContain('abcdefgh123');
    expect(passwordProblems(undefined)).toEqual(['must be a string']);
  });
});

describe('who may create whom', () => {
  it('lets an administrator create any account, with its password set', () => {
    given([])
      .when(create(admin, { unit: 'FIN', role: 'head' }))
      .then(created());
  });

  it('lets a COM officer create an applicant account with its USCC, and nothing else', () => {
    given([])
      .when(create(comOfficer, { unit: 'APPLICANT', role: 'applicant', uscc: USCC }))
      .then([
        { type: 'AccountCreated', data: { username: 'li', unit: 'APPLICANT', role: 'applicant', uscc: USCC, displayName: '李四', createdBy: 'com-1' } },
        { type: 'AccountPasswordSet', data: credential },
      ]);
    given([])
      .when(create(comOfficer, { unit: 'FIN', role: 'officer' }))
      .thenThrows(AccountChangeForbidden);
    given([])
      .when(create(comOfficer, { unit: 'ADMIN', role: 'admin' }))
      .thenThrows(AccountChangeForbidden);
  });

  it('lets no other unit create accounts, not even AUDIT', () => {
    for (const by of [
      { user: 'a', unit: 'AUDIT', role: 'auditor' },
      { user: 'f', unit: 'FIN', role: 'head' },
      { user: 'x', unit: 'APPLICANT', role: 'applicant' },
    ]) {
      given([])
        .when(create(by, { unit: 'APPLICANT', role: 'applicant', uscc: USCC }))
        .thenThrows(AccountChangeForbidden);
    }
  });

  it('refuses an applicant without a valid USCC, a USCC on a department account, an admin role outside ADMIN, naming the field', () => {
    given([])
      .when(create(admin, { unit: 'APPLICANT', role: 'applicant' }))
      .thenThrows(InvalidAccountInput, { field: 'uscc' });
    given([])
      .when(create(admin, { unit: 'FIN', role: 'head', uscc: USCC }))
      .thenThrows(InvalidAccountInput, { field: 'uscc' });
    given([])
      .when(create(admin, { unit: 'FIN', role: 'admin' }))
      .thenThrows(InvalidAccountInput, { field: 'role' });
    given([])
      .when(create(admin, { unit: 'FIN', role: 'head' }, 'no spaces'))
      .thenThrows(InvalidAccountInput, { field: 'username' });
  });

  it('creates an account once', () => {
    given(created())
      .when(create(admin, { unit: 'FIN', role: 'head' }))
      .thenThrows(AccountExists);
  });

  it('leaves changing, disabling and resetting to administrators', () => {
    const by = { user: 'com-1', unit: 'COM', role: 'officer' };
    given(created()).when({ type: 'DisableAccount', data: { by } }).thenThrows(AccountChangeForbidden);
    given(created())
      .when({ type: 'ChangeAccountGrant', data: { unit: 'COM', role: 'head', by } })
      .thenThrows(AccountChangeForbidden);
    given(created())
      .when({ type: 'ResetPassword', data: { credential, by, at: minute(0) } })
      .thenThrows(AccountChangeForbidden);
  });
});

describe('grants, disabling and enabling', () => {
  it('records a changed grant with what it was', () => {
    given(created())
      .when({ type: 'ChangeAccountGrant', data: { unit: 'FIN', role: 'officer', by: admin } })
      .then([{ type: 'AccountGrantChanged', data: { unit: 'FIN', role: 'officer', previous: { unit: 'FIN', role: 'head' }, changedBy: 'root' } }]);
    given(created())
      .when({ type: 'ChangeAccountGrant', data: { unit: 'FIN', role: 'head', by: admin } })
      .then([]);
  });

  it('disables once; a disabled account may not log in until enabled', () => {
    const disabled: AccountEvent = { type: 'AccountDisabled', data: { disabledBy: 'root' } };
    expect(loginRefusal(evolveAll(accountDecider, [...created(), disabled]), minute(0))).toBe('disabled');
    given([...created(), disabled])
      .when({ type: 'DisableAccount', data: { by: admin } })
      .thenThrows(InvalidTransition);
    const state = given([...created(), disabled])
      .when({ type: 'EnableAccount', data: { by: admin, at: minute(0) } })
      .then([{ type: 'AccountEnabled', data: { enabledBy: 'root' } }]);
    expect(loginRefusal(state, minute(0))).toBeNull();
  });
});

describe('lock-out (5 failures in 15 minutes lock for 15 minutes)', () => {
  const fourFailures = [failed(minute(0), 1), failed(minute(1), 2), failed(minute(2), 3), failed(minute(3), 4)];

  it('locks on the fifth failure within the window, recording when the lock ends', () => {
    const state = given([...created(), ...fourFailures])
      .when(fail(minute(4)))
      .then([failed(minute(4), 5), { type: 'AccountLockedOut', data: { at: minute(4), until: minute(19), failures: 5 } }]);
    expect(loginRefusal(state, minute(18))).toBe('locked');
    expect(loginRefusal(state, minute(19))).toBeNull();
  });

  it('does not count failures older than the window', () => {
    given([...created(), ...fourFailures])
      .when(fail(minute(15)))
      .then([failed(minute(15), 4)]);
  });

  it('records nothing more while locked, and counts afresh after the lock ends', () => {
    const locked = [
      ...created(),
      ...fourFailures,
      failed(minute(4), 5),
      { type: 'AccountLockedOut', data: { at: minute(4), until: minute(19), failures: 5 } } as AccountEvent,
    ];
    given(locked)
      .when(fail(minute(10)))
      .then([]);
    given(locked)
      .when(fail(minute(20)))
      .then([failed(minute(20), 1)]);
  });

  it('takes both parameters from the policy', () => {
    const strict = { maxFailures: 2, windowMinutes: 5, lockMinutes: 60 };
    const state = given([...created(), failed(minute(0), 1)])
      .when(fail(minute(4), strict))
      .then([failed(minute(4), 2), { type: 'AccountLockedOut', data: { at: minute(4), until: minute(64), failures: 2 } }]);
    expect(isLocked(state, minute(63))).toBe(true);
  });

  it('lets an administrator lift a lock-out by enabling or by a password reset, recorded as an unlock', () => {
    const locked = [...created(), failed(minute(4), 5), { type: 'AccountLockedOut', data: { at: minute(4), until: minute(19), failures: 5 } } as AccountEvent];
    given(locked)
      .when({ type: 'EnableAccount', data: { by: admin, at: minute(5) } })
      .then([{ type: 'AccountUnlocked', data: { at: minute(5), unlockedBy: 'root', why: 'enabled' } }]);
    given(locked)
      .when({ type: 'ResetPassword', data: { credential: { credentialId: 'cred-2', scheme: 'scrypt' }, by: admin, at: minute(5) } })
      .then([
        { type: 'AccountPasswordReset', data: { credentialId: 'cred-2', scheme: 'scrypt', resetBy: 'root' } },
        { type: 'AccountUnlocked', data: { at: minute(5), unlockedBy: 'root', why: 'password-reset' } },
      ]);
  });

  it('records no failure for a disabled account', () => {
    given([...created(), { type: 'AccountDisabled', data: { disabledBy: 'root' } }])
      .when(fail(minute(0)))
      .then([]);
  });
});
