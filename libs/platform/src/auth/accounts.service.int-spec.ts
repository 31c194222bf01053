import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryEventStore } from '@cbec/event-store';
import { AggregateStore, CommandContext } from '../store/aggregate-store';
import { AccountsService } from './accounts.service';
import { authSettingsFromEnv } from './auth-settings';
import { SqliteAuthStore } from './auth-store';
import { Credential, PasswordHasher } from './password-hasher';

/** A hasher that counts its work: every refused login must cost one hash, whichever the reason. */
class CountingHasher extends PasswordHasher {
  work = 0;
  override async verify(password: string, credential: Credential): Promise<boolean> {
    this.work++;
    return super.verify(password, credential);
  }
  override async waste(password: string): Promise<void> {
    this.work++;
    return super.waste(password);
  }
}

const NOW = new Date('2020-03-02T02:00:00.000Z');
const ctx = (): CommandContext => ({
  commandId: `c-${Math.random()}`,
  correlationId: 'c',
  causationId: null,
  actor: { user: 'root', unit: 'ADMIN', role: 'admin' },
  now: NOW,
});

let dir: string;
let auth: SqliteAuthStore;
let hasher: CountingHasher;
let accounts: AccountsService;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-accounts-'));
  auth = new SqliteAuthStore(dir);
  const store = new InMemoryEventStore();
  const settings = authSettingsFromEnv({ CBEC_SCRYPT_LOG_N: '14' });
  hasher = new CountingHasher(settings.scrypt);
  accounts = new AccountsService(new AggregateStore(store), store, auth, auth, hasher, settings);
  await accounts.create({ username: 'fin-head', unit: 'FIN', role: 'head', password: 'Right-pass-1' }, ctx());
  await accounts.create({ username: 'gone', unit: 'FIN', role: 'officer', password: 'Right-pass-1' }, ctx());
  await accounts.disable('gone', ctx());
});
afterEach(async () => {
  await auth.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the login check', () => {
  it.each([
    ['a wrong password', 'fin-head', 'Wrong-pass-1'],
    ['an unknown user', 'nobody', 'Right-pass-1'],
    ['a disabled account', 'gone', 'Right-pass-1'],
    ['a username that cannot exist', 'no spaces allowed', 'Right-pass-1'],
  ])('refuses %s with nothing but null, after exactly one hash', async (_what, username, password) => {
    hasher.work = 0;
    expect(await accounts.login(username, password, NOW)).toBeNull();
    expect(hasher.work).toBe(1);
  });

  it('opens a session whose cookie value is stored only as its hash', async () => {
    const loggedIn = await accounts.login('fin-head', 'Right-pass-1', NOW);
    expect(loggedIn?.session).toMatchObject({ username: 'fin-head', unit: 'FIN', role: 'head', uscc: null });
    expect(await auth.findSession(loggedIn!.sessionId)).toBeUndefined();
    expect(await accounts.authenticate(loggedIn!.sessionId, NOW)).toMatchObject({ username: 'fin-head' });
  });

  it('ends the sessions of an account that is disabled', async () => {
    const loggedIn = await accounts.login('fin-head', 'Right-pass-1', NOW);
    await accounts.disable('fin-head', ctx());
    expect(await accounts.authenticate(loggedIn!.sessionId, NOW)).toBeUndefined();
  });
});
