import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  accountDecider,
  AccountManager,
  AccountNotFound,
  AccountState,
  accountStreamId,
  AccountChangeForbidden,
  evolveAccount,
  AccountEvent,
  Grant,
  initialAccountState,
  InvalidAccountInput,
  loginRefusal,
  passwordProblems,
  usernameProblem,
  WeakPassword,
  whyMayNotCreate,
  whyMayNotManage,
  AccountCommand,
} from '@cbec/domain';
import { Actor, EventStore } from '@cbec/event-store';
import { AggregateStore, CommandContext } from '../store/aggregate-store';
import { AuthSettings } from './auth-settings';
import { CredentialStore, Session, SessionStore } from './auth-store';
import { PasswordHasher } from './password-hasher';

/** What readers see of an account: never a credential. */
export interface AccountView {
  username: string;
  displayName: string;
  unit: string;
  role: string;
  uscc: string | null;
  enabled: boolean;
  lockedUntil: string | null;
  version: number;
}

export interface NewAccount extends Grant {
  username: string;
  displayName?: string;
  password: string;
}

/** A login that succeeded: the cookie's value (given once, stored only as its hash) and the session. */
export interface LoggedIn {
  sessionId: string;
  session: Session;
}

/** The actor of events the login check records (failures, lock-outs): no caller is authenticated then. */
export const LOGIN_ACTOR: Actor = { user: 'login', unit: 'SYSTEM', role: 'system' };

export function sessionIdHash(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

function viewOf(state: AccountState, version: number): AccountView {
  return {
    username: state.username!,
    displayName: state.displayName,
    unit: state.unit,
    role: state.role,
    uscc: state.uscc,
    enabled: state.enabled,
    lockedUntil: state.lockedUntil,
    version,
  };
}

function managerOf(actor: Actor): AccountManager {
  return { user: actor.user, unit: actor.unit, role: actor.role };
}

function assertPassword(password: unknown): asserts password is string {
  const problems = passwordProblems(password);
  if (problems.length) throw new WeakPassword(problems);
}

/**
 * Account administration and the login check, shared by the HTTP use cases and the CLI (`users ...`),
 * which append to the same log. The hash goes to the credential store first and the event naming it
 * second: a crash between leaves an unused hash, never an account without its password.
 */
export class AccountsService {
  constructor(
    private readonly aggregates: AggregateStore,
    private readonly store: EventStore,
    private readonly credentials: CredentialStore,
    private readonly sessions: SessionStore,
    private readonly hasher: PasswordHasher,
    private readonly settings: AuthSettings,
  ) {}

  async create(input: NewAccount, ctx: CommandContext): Promise<AccountView> {
    const badName = usernameProblem(input.username);
    if (badName) throw new InvalidAccountInput('username', badName);
    // Refused callers learn so before any hashing work is spent on them.
    const why = whyMayNotCreate(managerOf(ctx.actor), input);
    if (why) throw new AccountChangeForbidden(why);
    assertPassword(input.password);
    const credential = await this.hasher.hash(input.password);
    const grant: Grant = input.uscc === undefined ? { unit: input.unit, role: input.role } : { unit: input.unit, role: input.role, uscc: input.uscc };
    const command: AccountCommand = {
      type: 'CreateAccount',
      data: {
        username: input.username,
        displayName: input.displayName ?? input.username,
        ...grant,
        credential: { credentialId: credential.credentialId, scheme: credential.scheme },
        by: managerOf(ctx.actor),
      },
    };
    // Decided once before the hash is kept, so a refused creation leaves nothing behind.
    accountDecider.decide(command, (await this.aggregates.load(accountStreamId(input.username), accountDecider)).state);
    await this.credentials.saveCredential(credential, input.username, ctx.now);
    const result = await this.aggregates.execute(accountStreamId(input.username), accountDecider, command, ctx);
    return viewOf(result.state, result.version);
  }

  async changeGrant(username: string, grant: Grant, ctx: CommandContext): Promise<AccountView> {
    const result = await this.run(username, { type: 'ChangeAccountGrant', data: { ...grant, by: managerOf(ctx.actor) } }, ctx);
    if (result.changed) await this.sessions.deleteSessionsOf(username);
    return result.view;
  }

  async disable(username: string, ctx: CommandContext): Promise<AccountView> {
    const result = await this.run(username, { type: 'DisableAccount', data: { by: managerOf(ctx.actor) } }, ctx);
    await this.sessions.deleteSessionsOf(username);
    return result.view;
  }

  async enable(username: string, ctx: CommandContext): Promise<AccountView> {
    return (await this.run(username, { type: 'EnableAccount', data: { by: managerOf(ctx.actor), at: ctx.now.toISOString() } }, ctx)).view;
  }

  async resetPassword(username: string, password: unknown, ctx: CommandContext): Promise<AccountView> {
    const why = whyMayNotManage(managerOf(ctx.actor));
    if (why) throw new AccountChangeForbidden(why);
    assertPassword(password);
    await this.existing(username);
    const credential = await this.hasher.hash(password);
    await this.credentials.saveCredential(credential, username, ctx.now);
    const result = await this.run(
      username,
      {
        type: 'ResetPassword',
        data: { credential: { credentialId: credential.credentialId, scheme: credential.scheme }, by: managerOf(ctx.actor), at: ctx.now.toISOString() },
      },
      ctx,
    );
    await this.sessions.deleteSessionsOf(username);
    return result.view;
  }

  async get(username: string): Promise<AccountView> {
    const loaded = await this.existing(username);
    return viewOf(loaded.state, loaded.version);
  }

  /** Every account, by username. */
  async list(): Promise<AccountView[]> {
    const states = new Map<string, { state: AccountState; version: number }>();
    for await (const event of this.store.readAll({ filter: { streamPrefixes: ['account-'] } })) {
      const before = states.get(event.streamId) ?? { state: initialAccountState(), version: -1 };
      states.set(event.streamId, { state: evolveAccount(before.state, { type: event.type, data: event.data } as AccountEvent), version: event.version });
    }
    return [...states.values()]
      .filter((s) => s.state.username !== null)
      .map((s) => viewOf(s.state, s.version))
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  /**
   * The login check. Null for a wrong password, an unknown, disabled or locked account, alike and after
   * the same hashing work; a wrong password on an account that may log in is recorded (and may lock it).
   */
  async login(username: unknown, password: unknown, now: Date): Promise<LoggedIn | null> {
    const pw = typeof password === 'string' ? password.slice(0, 1024) : '';
    if (typeof username !== 'string' || usernameProblem(username) !== null) {
      await this.hasher.waste(pw);
      return null;
    }
    const { state } = await this.aggregates.load(accountStreamId(username), accountDecider);
    const at = now.toISOString();
    const credential = loginRefusal(state, at) === null ? await this.credentials.findCredential(state.credentialId!) : undefined;
    if (!credential) {
      await this.hasher.waste(pw);
      return null;
    }
    if (!(await this.hasher.verify(pw, credential))) {
      const commandId = randomUUID();
      await this.aggregates.execute(
        accountStreamId(username),
        accountDecider,
        { type: 'RecordLoginFailure', data: { at, policy: this.settings.lockout } },
        { commandId, correlationId: commandId, causationId: null, actor: LOGIN_ACTOR, now },
      );
      return null;
    }
    const sessionId = randomBytes(32).toString('base64url');
    const session: Session = {
      username,
      displayName: state.displayName,
      unit: state.unit,
      role: state.role,
      uscc: state.uscc,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: at,
      lastSeenAt: at,
    };
    await this.sessions.createSession(sessionIdHash(sessionId), session);
    return { sessionId, session };
  }

  /** The live session a cookie names, renewed; undefined when unknown, idle too long or too old (and then ended). */
  async authenticate(sessionId: string, now: Date): Promise<Session | undefined> {
    const idHash = sessionIdHash(sessionId);
    const session = await this.sessions.findSession(idHash);
    if (!session) return undefined;
    const idleMs = now.getTime() - Date.parse(session.lastSeenAt);
    const ageMs = now.getTime() - Date.parse(session.createdAt);
    if (idleMs >= this.settings.idleMinutes * 60_000 || ageMs >= this.settings.maxSessionHours * 3_600_000) {
      await this.sessions.deleteSession(idHash);
      return undefined;
    }
    // Renewed at most every 15 s: a burst of requests is one write, the idle limit still holds to the second.
    if (idleMs >= 15_000) await this.sessions.touchSession(idHash, now.toISOString());
    return session;
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.deleteSession(sessionIdHash(sessionId));
  }

  private async existing(username: string): Promise<{ state: AccountState; version: number }> {
    if (usernameProblem(username) !== null) throw new AccountNotFound(username);
    const loaded = await this.aggregates.load(accountStreamId(username), accountDecider);
    if (loaded.state.username === null) throw new AccountNotFound(username);
    return loaded;
  }

  private async run(username: string, command: AccountCommand, ctx: CommandContext): Promise<{ view: AccountView; changed: boolean }> {
    await this.existing(username);
    const result = await this.aggregates.execute(accountStreamId(username), accountDecider, command, ctx, {
      guard: (state) => {
        if (state.username === null) throw new AccountNotFound(username);
      },
    });
    return { view: viewOf(result.state, result.version), changed: result.events.length > 0 };
  }
}
