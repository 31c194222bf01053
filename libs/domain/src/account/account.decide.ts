import { InvalidTransition } from '../decider';
import { actorProblems } from './identity';
import type { AccountCommand, Grant, LockoutPolicy } from './account.commands';
import { AccountChangeForbidden, AccountExists, AccountNotFound, InvalidAccountInput } from './account.errors';
import type { AccountEvent } from './account.events';
import { usernameProblem, whyMayNotCreate, whyMayNotManage } from './account-rules';
import { type AccountState, isLocked } from './account.state';

const DISPLAY_NAME_MAX = 100;

function assertGrant(username: string, grant: Grant): void {
  const problems = actorProblems({ sub: username, unit: grant.unit, role: grant.role, uscc: grant.uscc });
  if (problems.length) throw new InvalidAccountInput(problems[0].field, problems.map((p) => `${p.field}: ${p.reason}`).join('; '));
}

function grantOf(grant: Grant): Grant {
  return grant.uscc === undefined ? { unit: grant.unit, role: grant.role } : { unit: grant.unit, role: grant.role, uscc: grant.uscc };
}

/** The workflow names the missing account by its stream (AccountNotFound with the username) before deciding. */
function existing(state: AccountState): string {
  if (state.username === null) throw new AccountNotFound('(this stream)');
  return state.username;
}

function minutesAfter(at: string, minutes: number): string {
  return new Date(Date.parse(at) + minutes * 60_000).toISOString();
}

/** 5 failures within 15 minutes lock for 15 minutes (等保2.0 level 3; both parameters in `policy`). */
function loginFailure(state: AccountState, at: string, policy: LockoutPolicy): AccountEvent[] {
  // While locked nothing more is recorded: the lock-out already says it, and a flood of guesses
  // cannot grow the log by more than one lock-out per lock period.
  if (!state.enabled || isLocked(state, at)) return [];
  const windowStart = Date.parse(at) - policy.windowMinutes * 60_000;
  const failuresInWindow = state.failures.filter((t) => Date.parse(t) > windowStart).length + 1;
  const failed: AccountEvent = { type: 'AccountLoginFailed', data: { at, failuresInWindow } };
  if (failuresInWindow < policy.maxFailures) return [failed];
  return [failed, { type: 'AccountLockedOut', data: { at, until: minutesAfter(at, policy.lockMinutes), failures: failuresInWindow } }];
}

export function decideAccount(command: AccountCommand, state: AccountState): AccountEvent[] {
  switch (command.type) {
    case 'CreateAccount': {
      const d = command.data;
      const badName = usernameProblem(d.username);
      if (badName) throw new InvalidAccountInput('username', badName);
      assertGrant(d.username, d);
      const displayName = d.displayName.trim();
      if (displayName === '' || [...displayName].length > DISPLAY_NAME_MAX) {
        throw new InvalidAccountInput('displayName', `must have 1-${DISPLAY_NAME_MAX} characters`);
      }
      const why = whyMayNotCreate(d.by, d);
      if (why) throw new AccountChangeForbidden(why);
      if (state.username !== null) throw new AccountExists(state.username);
      return [
        { type: 'AccountCreated', data: { username: d.username, ...grantOf(d), displayName, createdBy: d.by.user } },
        { type: 'AccountPasswordSet', data: { credentialId: d.credential.credentialId, scheme: d.credential.scheme } },
      ];
    }
    case 'ChangeAccountGrant': {
      const why = whyMayNotManage(command.data.by);
      if (why) throw new AccountChangeForbidden(why);
      const username = existing(state);
      assertGrant(username, command.data);
      const next = grantOf(command.data);
      const previous: Grant = state.uscc === null ? { unit: state.unit, role: state.role } : { unit: state.unit, role: state.role, uscc: state.uscc };
      if (next.unit === previous.unit && next.role === previous.role && next.uscc === previous.uscc) return [];
      return [{ type: 'AccountGrantChanged', data: { ...next, previous, changedBy: command.data.by.user } }];
    }
    case 'ResetPassword': {
      const why = whyMayNotManage(command.data.by);
      if (why) throw new AccountChangeForbidden(why);
      existing(state);
      const { credential, by, at } = command.data;
      const reset: AccountEvent = {
        type: 'AccountPasswordReset',
        data: { credentialId: credential.credentialId, scheme: credential.scheme, resetBy: by.user },
      };
      return isLocked(state, at) ? [reset, { type: 'AccountUnlocked', data: { at, unlockedBy: by.user, why: 'password-reset' } }] : [reset];
    }
    case 'DisableAccount': {
      const why = whyMayNotManage(command.data.by);
      if (why) throw new AccountChangeForbidden(why);
      existing(state);
      if (!state.enabled) throw new InvalidTransition('account', 'disabled', 'DisableAccount', 'the account is disabled already');
      return [{ type: 'AccountDisabled', data: { disabledBy: command.data.by.user } }];
    }
    case 'EnableAccount': {
      const why = whyMayNotManage(command.data.by);
      if (why) throw new AccountChangeForbidden(why);
      existing(state);
      const { by, at } = command.data;
      const events: AccountEvent[] = [];
      if (!state.enabled) events.push({ type: 'AccountEnabled', data: { enabledBy: by.user } });
      // Enabling is also how an administrator lifts a lock-out before its end.
      if (isLocked(state, at)) events.push({ type: 'AccountUnlocked', data: { at, unlockedBy: by.user, why: 'enabled' } });
      if (events.length === 0) throw new InvalidTransition('account', 'enabled', 'EnableAccount', 'the account is enabled and not locked');
      return events;
    }
    case 'RecordLoginFailure':
      existing(state);
      return loginFailure(state, command.data.at, command.data.policy);
  }
}
