import { randomUUID } from 'node:crypto';
import { userInfo } from 'node:os';
import { CliCommand, CliExit, CliIo, CliUsageError } from '../cli';
import { requireServerDataDir } from '../server-data-dir';
// Deep imports: managing accounts needs the store, the credential store and the decider, not a Nest application.
import { DomainError } from '../../../../libs/domain/src/decider';
import { dataDirFromEnv } from '../../../../libs/platform/src/auth/jwt-secret';
import { AccountsService } from '../../../../libs/platform/src/auth/accounts.service';
import { authSettingsFromEnv } from '../../../../libs/platform/src/auth/auth-settings';
import { type AuthStore, SqliteAuthStore } from '../../../../libs/platform/src/auth/auth-store';
import { PostgresAuthStore } from '../../../../libs/platform/src/auth/postgres-auth-store';
import { PasswordHasher } from '../../../../libs/platform/src/auth/password-hasher';
import { AggregateStore, CommandContext } from '../../../../libs/platform/src/store/aggregate-store';
import { openEventStore } from '../../../workflow-api/src/event-store.factory';

const USAGE = [
  'users add --username <u> --unit <UNIT> --role <role> [--uscc <uscc>] [--display-name <name>] --password-stdin',
  'users list',
  'users disable <u>',
  'users enable <u>',
  'users reset-password <u> --password-stdin',
].join(' | ');

/** `--flag value` pairs, `--password-stdin` (no value), and positional arguments. */
function parseUserArgs(args: string[]): { flags: Record<string, string>; passwordStdin: boolean; positional: string[] } {
  const flags: Record<string, string> = {};
  const positional: string[] = [];
  let passwordStdin = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--password-stdin') passwordStdin = true;
    else if (a.startsWith('--')) {
      const next = args[i + 1];
      if (next === undefined || next.startsWith('--')) throw new CliUsageError(`${a} needs a value`);
      flags[a.slice(2)] = next;
      i++;
    } else positional.push(a);
  }
  return { flags, passwordStdin, positional };
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The password is the first line of standard input (a trailing newline from `echo` is not part of it). */
async function passwordFrom(io: CliIo, passwordStdin: boolean): Promise<string> {
  if (!passwordStdin)
    throw new CliUsageError(
      'give the password on standard input with --password-stdin (never as an argument: it would show in the process list and the shell history)',
    );
  const text = await (io.readStdin ?? readAllStdin)();
  const password = text.split(/\r?\n/)[0];
  if (!password) throw new CliUsageError('--password-stdin: standard input holds no password');
  return password;
}

/** Who the CLI acts as: the operator of the data folder, as an administrator (they hold every file already). */
function operatorCtx(): CommandContext {
  let osUser = 'unknown';
  try {
    osUser = userInfo().username;
  } catch {
    // No passwd entry (some containers): the events still say the CLI did it.
  }
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, causationId: null, actor: { user: `cli:${osUser}`, unit: 'ADMIN', role: 'admin' }, now: new Date() };
}

/**
 * Accounts of the server in CBEC_DATA_DIR (docs/operations.md, "Accounts"): the same log and credential
 * store the server uses (SQLite allows both at once). Exit 1 when the rules refuse (taken name, no such
 * account, disabled already), 2 on bad input (including a password that breaks the rule).
 */
export const usersCommand: CliCommand = {
  name: 'users',
  usage: USAGE,
  async run(args, io): Promise<CliExit> {
    const { flags, passwordStdin, positional } = parseUserArgs(args);
    const [sub, ...rest] = positional;
    const allow = (known: string[], stdin: boolean, positionals: number): void => {
      const unknown = Object.keys(flags).find((f) => !known.includes(f));
      if (unknown) throw new CliUsageError(`unknown option --${unknown} for "users ${sub}"; usage: ${USAGE}`);
      if (passwordStdin && !stdin) throw new CliUsageError(`--password-stdin is not an option of "users ${sub}"`);
      if (rest.length !== positionals) throw new CliUsageError(`"users ${sub}" takes ${positionals === 0 ? 'no argument' : 'the username'}; usage: ${USAGE}`);
    };
    switch (sub) {
      case 'add':
        allow(['username', 'unit', 'role', 'uscc', 'display-name'], true, 0);
        for (const required of ['username', 'unit', 'role']) if (!flags[required]) throw new CliUsageError(`--${required} is required`);
        break;
      case 'list':
        allow([], false, 0);
        break;
      case 'disable':
      case 'enable':
        allow([], false, 1);
        break;
      case 'reset-password':
        allow([], true, 1);
        break;
      default:
        throw new CliUsageError(`users: unknown subcommand ${JSON.stringify(sub ?? null)}; usage: ${USAGE}`);
    }
    const password = sub === 'add' || sub === 'reset-password' ? await passwordFrom(io, passwordStdin) : '';
    const dataDir = dataDirFromEnv(io.env, io.cwd);
    requireServerDataDir(dataDir, io.env);
    const settings = authSettingsFromEnv(io.env);
    const store = await openEventStore(dataDir, io.env);
    // Where the servers keep credentials: the database with DATABASE_URL, else the data folder.
    const databaseUrl = io.env.DATABASE_URL?.trim();
    const auth: AuthStore = databaseUrl ? new PostgresAuthStore(databaseUrl) : new SqliteAuthStore(dataDir);
    const accounts = new AccountsService(new AggregateStore(store), store, auth, auth, new PasswordHasher(settings.scrypt), settings);
    try {
      switch (sub) {
        case 'add':
          io.out(
            await accounts.create(
              {
                username: flags.username,
                unit: flags.unit,
                role: flags.role,
                ...(flags.uscc !== undefined ? { uscc: flags.uscc } : {}),
                ...(flags['display-name'] !== undefined ? { displayName: flags['display-name'] } : {}),
                password,
              },
              operatorCtx(),
            ),
          );
          return 0;
        case 'list':
          io.out({ accounts: await accounts.list() });
          return 0;
        case 'disable':
          io.out(await accounts.disable(rest[0], operatorCtx()));
          return 0;
        case 'enable':
          io.out(await accounts.enable(rest[0], operatorCtx()));
          return 0;
        default:
          io.out(await accounts.resetPassword(rest[0], password, operatorCtx()));
          return 0;
      }
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      io.err({ error: e.message, code: e.code, ...('problems' in e ? { problems: (e as { problems: unknown }).problems } : {}) });
      return e.httpStatus === 400 || e.code === 'weak-password' ? 2 : 1;
    } finally {
      await auth.close();
      await store.close();
    }
  },
};
