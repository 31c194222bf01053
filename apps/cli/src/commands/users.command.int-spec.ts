import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore, RecordedEvent } from '@cbec/event-store';
import { AccountsService } from '../../../../libs/platform/src/auth/accounts.service';
import { authSettingsFromEnv } from '../../../../libs/platform/src/auth/auth-settings';
import { SqliteAuthStore } from '../../../../libs/platform/src/auth/auth-store';
import { PasswordHasher } from '../../../../libs/platform/src/auth/password-hasher';
import { AggregateStore } from '../../../../libs/platform/src/store/aggregate-store';
import { CliIo, runCli } from '../cli';
import { usersCommand } from './users.command';

let dir: string;
let out: unknown[];
let err: unknown[];
const dataDir = (): string => join(dir, 'data');
const io = (stdin = ''): CliIo => ({
  out: (v) => out.push(v),
  err: (v) => err.push(v),
  env: { CBEC_DATA_DIR: dataDir() },
  cwd: dir,
  readStdin: () => Promise.resolve(stdin),
});
const users = (stdin: string, ...args: string[]) => runCli([usersCommand], ['users', ...args], io(stdin));

/** What the server on the same data folder would answer to a login. */
async function serverLogin(username: string, password: string): Promise<boolean> {
  const store = openSqliteEventStore({ directory: dataDir() });
  const auth = new SqliteAuthStore(dataDir());
  try {
    const settings = authSettingsFromEnv({});
    const accounts = new AccountsService(new AggregateStore(store), store, auth, auth, new PasswordHasher(settings.scrypt), settings);
    return (await accounts.login(username, password, new Date())) !== null;
  } finally {
    await auth.close();
    await store.close();
  }
}

async function events(streamId: string): Promise<RecordedEvent[]> {
  const store = openSqliteEventStore({ directory: dataDir() });
  const found: RecordedEvent[] = [];
  for await (const e of store.readStream(streamId)) found.push(e);
  await store.close();
  return found;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cbec-cli-users-'));
  out = [];
  err = [];
  // The server has started once on the folder: its event store exists.
  await openSqliteEventStore({ directory: dataDir() }).close();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('cli users', () => {
  it('adds the first administrator from a password on standard input, which the server then accepts', async () => {
    expect(await users('Adm1n-pass\n', 'add', '--username', 'root', '--unit', 'ADMIN', '--role', 'admin', '--display-name', '张三', '--password-stdin')).toBe(
      0,
    );
    expect(out[0]).toEqual({ username: 'root', displayName: '张三', unit: 'ADMIN', role: 'admin', uscc: null, enabled: true, lockedUntil: null, version: 1 });
    expect(await serverLogin('root', 'Adm1n-pass')).toBe(true);
    expect(await serverLogin('root', 'Adm1n-pass\n')).toBe(false);
    const [created] = await events('account-root');
    expect(created.metadata.actor).toMatchObject({ unit: 'ADMIN', role: 'admin' });
    expect(created.metadata.actor.user).toMatch(/^cli:/);
  });

  it('adds an applicant with its USCC, lists, disables, enables and resets', async () => {
    expect(
      await users(
        'Shop-pass-1',
        'add',
        '--username',
        'shop-1',
        '--unit',
        'APPLICANT',
        '--role',
        'applicant',
        '--uscc',
        '91341500MA2010017C',
        '--password-stdin',
      ),
    ).toBe(0);
    expect(await users('', 'list')).toBe(0);
    expect(out[1]).toEqual({ accounts: [expect.objectContaining({ username: 'shop-1', uscc: '91341500MA2010017C', enabled: true })] });
    expect(await users('', 'disable', 'shop-1')).toBe(0);
    expect(await serverLogin('shop-1', 'Shop-pass-1')).toBe(false);
    expect(await users('', 'disable', 'shop-1')).toBe(1);
    expect(await users('', 'enable', 'shop-1')).toBe(0);
    expect(await users('New-pass-22', 'reset-password', 'shop-1', '--password-stdin')).toBe(0);
    expect(await serverLogin('shop-1', 'Shop-pass-1')).toBe(false);
    expect(await serverLogin('shop-1', 'New-pass-22')).toBe(true);
    expect((await events('account-shop-1')).map((e) => e.type)).toEqual([
      'AccountCreated',
      'AccountPasswordSet',
      'AccountDisabled',
      'AccountEnabled',
      'AccountPasswordReset',
      // The old password, tried after the reset: a failure like any other (none was recorded while disabled).
      'AccountLoginFailed',
    ]);
  });

  it('refuses bad input with exit 2 and a reason that never repeats the password, and a taken name with exit 1', async () => {
    expect(await users('weakpass', 'add', '--username', 'fin-1', '--unit', 'FIN', '--role', 'head', '--password-stdin')).toBe(2);
    expect(JSON.stringify(err.at(-1))).toMatch(/three of/);
    expect(JSON.stringify(err.at(-1))).not.toContain('weakpass');
    expect(await users('', 'add', '--username', 'fin-1', '--unit', 'FIN', '--role', 'head', '--password', 'Abcdefg1')).toBe(2);
    expect(err.at(-1)).toEqual({ error: expect.stringMatching(/--password-stdin/) });
    expect(await users('Abcdefg1', 'add', '--username', 'fin-1', '--unit', 'TAX', '--role', 'head', '--password-stdin')).toBe(2);
    expect(JSON.stringify(err.at(-1))).toMatch(/unit/);
    expect(await users('Abcdefg1', 'add', '--username', 'fin-1', '--unit', 'FIN', '--role', 'head', '--password-stdin')).toBe(0);
    expect(await users('Abcdefg1', 'add', '--username', 'fin-1', '--unit', 'FIN', '--role', 'head', '--password-stdin')).toBe(1);
    expect(err.at(-1)).toMatchObject({ code: 'account-exists' });
    expect(await users('', 'enable', 'nobody')).toBe(1);
  });

  it("refuses a data folder without the server's event store", async () => {
    const code = await runCli([usersCommand], ['users', 'list'], { ...io(), env: { CBEC_DATA_DIR: join(dir, 'elsewhere') } });
    expect(code).toBe(2);
    expect(JSON.stringify(err.at(-1))).toMatch(/holds no event store/);
  });
});
