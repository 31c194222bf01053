import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliCommand, CliExit, CliIo, CliUsageError, parseFlags } from '../cli';
import { requireServerDataDir, STORE_FILE } from '../server-data-dir';
import { dataDirFromEnv, JWT_SECRET_FILE, jwtSecretPlace, loadOrCreateJwtSecret, readJwtSecret } from '../../../../libs/platform/src/auth/jwt-secret';
import { actorProblems } from '../../../../libs/platform/src/auth/actor';
import { PostgresTokenRevocations } from '../../../../libs/platform/src/auth/postgres-token-revocations';
import { SqliteTokenRevocations, type TokenRevocations } from '../../../../libs/platform/src/auth/token-revocations';
import { lifetimeSeconds, MAX_MACHINE_TOKEN_SECONDS, MAX_PERSON_TOKEN_SECONDS, mintToken, TokenClaims } from '../../../../libs/platform/src/auth/token';

const DURATION = /^\d+[smhd]?$/;

/**
 * `token --sub <user> --unit <UNIT> --role <role> [--uscc <uscc>] [--expires-in 12h]`: an HS256 JWT signed
 * with the secret in CBEC_DATA_DIR, so the server on the same data dir accepts it. The secret is created
 * only in a folder that already holds the server's event store: anywhere else a secret would sign tokens
 * no server accepts, so a wrong or unset CBEC_DATA_DIR is refused instead (exit 2).
 * Imports the auth files directly: minting a token needs no Nest application.
 */
export const tokenCommand: CliCommand = {
  name: 'token',
  usage:
    'token --sub <user> --unit <FIN|COM|CUS|PBC|CTY-<code>|AUDIT|APPLICANT> --role <officer|head|auditor|applicant> [--uscc <uscc>] [--expires-in 12h] [--machine (up to --expires-in 30d)] | token revoke <jti> | token revoke --sub <user>',
  async run(args, io) {
    if (args[0] === 'revoke') return revoke(args.slice(1), io);
    // `--machine` is a switch: the only flag without a value.
    const machine = args.includes('--machine');
    const { flags, positional } = parseFlags(args.filter((a) => a !== '--machine'));
    if (positional.length) throw new CliUsageError(`unexpected argument "${positional[0]}"`);
    const known = ['sub', 'unit', 'role', 'uscc', 'expires-in'];
    const unknown = Object.keys(flags).find((f) => !known.includes(f));
    if (unknown) throw new CliUsageError(`unknown option --${unknown}; options: ${known.map((k) => `--${k}`).join(' ')}`);
    for (const required of ['sub', 'unit', 'role']) {
      if (!flags[required]) throw new CliUsageError(`--${required} is required`);
    }
    const expiresIn = flags['expires-in'] ?? '12h';
    if (!DURATION.test(expiresIn)) throw new CliUsageError(`--expires-in must be seconds or a duration such as 30m, 12h, 7d; got "${expiresIn}"`);
    const claims: TokenClaims = { sub: flags.sub, unit: flags.unit, role: flags.role, ...(flags.uscc !== undefined ? { uscc: flags.uscc } : {}) };
    // Bad input is named before the data folder is looked at.
    const problems = actorProblems(claims);
    if (problems.length) throw new CliUsageError(problems.map((p) => `--${p.field}: ${p.reason}`).join('; '));
    const lifetime = /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn;
    const max = machine ? MAX_MACHINE_TOKEN_SECONDS : MAX_PERSON_TOKEN_SECONDS;
    if (lifetimeSeconds(lifetime) > max) {
      throw new CliUsageError(
        `--expires-in: a ${machine ? 'machine' : "person's"} token lasts at most ${max / 3600} h (${machine ? '30d' : '12h'}); got ${expiresIn}`,
      );
    }
    const token = mintToken(secretOf(dataDirFromEnv(io.env, io.cwd), io.env), claims, lifetime, { machine });
    io.out({ token });
    return 0;
  },
};

/**
 * `token revoke <jti>` (one token: the `jti` of its payload) or `token revoke --sub <user>` (every token of
 * the user minted until now): written to the data folder's revocation list, which the running server
 * checks on every request.
 */
async function revoke(args: string[], io: CliIo): Promise<CliExit> {
  const { flags, positional } = parseFlags(args);
  const unknown = Object.keys(flags).find((f) => f !== 'sub');
  if (unknown) throw new CliUsageError(`token revoke: unknown option --${unknown}; give a jti or --sub <user>`);
  if ((positional.length === 1) === (flags.sub !== undefined) || positional.length > 1) {
    throw new CliUsageError('token revoke needs either one token id (the jti of the token) or --sub <user>');
  }
  const dataDir = dataDirFromEnv(io.env, io.cwd);
  requireServerDataDir(dataDir, io.env);
  // The list the servers read: the database with DATABASE_URL, else the data folder.
  const databaseUrl = io.env.DATABASE_URL?.trim();
  const list: TokenRevocations = databaseUrl ? new PostgresTokenRevocations(databaseUrl) : new SqliteTokenRevocations(dataDir);
  try {
    const at = new Date();
    if (flags.sub !== undefined) {
      if (flags.sub.trim() === '') throw new CliUsageError('--sub must name the user');
      await list.revokeSubject(flags.sub, at);
      io.out({ revoked: { sub: flags.sub, issuedUpTo: at.toISOString() } });
    } else {
      await list.revokeToken(positional[0], at);
      io.out({ revoked: { jti: positional[0] } });
    }
  } finally {
    await list.close();
  }
  return 0;
}

function secretOf(dataDir: string, env: NodeJS.ProcessEnv): string {
  // CBEC_JWT_SECRET_FILE: the servers' shared secret, read (an error names it when it is missing).
  if (jwtSecretPlace(dataDir, env).configured) return loadOrCreateJwtSecret(dataDir, env);
  const existing = readJwtSecret(dataDir, env);
  if (existing !== undefined) return existing;
  if (existsSync(join(dataDir, STORE_FILE))) return loadOrCreateJwtSecret(dataDir, env);
  throw new CliUsageError(
    `${dataDir} (CBEC_DATA_DIR) holds no ${JWT_SECRET_FILE} and no event store, so no server would accept a token minted there: ` +
      "set CBEC_DATA_DIR to the server's data folder (the server creates the secret when it starts)",
  );
}
