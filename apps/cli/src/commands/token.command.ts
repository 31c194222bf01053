import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CliCommand, CliUsageError, parseFlags } from '../cli';
import { STORE_FILE } from '../server-data-dir';
import { dataDirFromEnv, JWT_SECRET_FILE, loadOrCreateJwtSecret, readJwtSecret } from '../../../../libs/platform/src/auth/jwt-secret';
import { actorProblems } from '../../../../libs/platform/src/auth/actor';
import { mintToken, TokenClaims } from '../../../../libs/platform/src/auth/token';

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
  usage: 'token --sub <user> --unit <FIN|COM|CUS|PBC|CTY-<code>|AUDIT|APPLICANT> --role <officer|head|auditor|applicant> [--uscc <uscc>] [--expires-in 12h]',
  async run(args, io) {
    const { flags, positional } = parseFlags(args);
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
    const token = mintToken(secretOf(dataDirFromEnv(io.env, io.cwd)), claims, /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn);
    io.out({ token });
    return 0;
  },
};

function secretOf(dataDir: string): string {
  const existing = readJwtSecret(dataDir);
  if (existing !== undefined) return existing;
  if (existsSync(join(dataDir, STORE_FILE))) return loadOrCreateJwtSecret(dataDir);
  throw new CliUsageError(
    `${dataDir} (CBEC_DATA_DIR) holds no ${JWT_SECRET_FILE} and no event store, so no server would accept a token minted there: ` +
      "set CBEC_DATA_DIR to the server's data folder (the server creates the secret when it starts)",
  );
}
