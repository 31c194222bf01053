import { CliCommand, CliUsageError, parseFlags } from '../cli';
import { dataDirFromEnv, loadOrCreateJwtSecret } from '../../../../libs/workflow/src/auth/jwt-secret';
import { InvalidTokenRequest, mintToken } from '../../../../libs/workflow/src/auth/token';

const DURATION = /^\d+[smhd]?$/;

/**
 * `token --sub <user> --unit <UNIT> --role <role> [--uscc <uscc>] [--expires-in 12h]`: an HS256 JWT signed
 * with the secret in CBEC_DATA_DIR (created there if absent), so the server on the same data dir accepts it.
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
    const secret = loadOrCreateJwtSecret(dataDirFromEnv(io.env, io.cwd));
    try {
      const token = mintToken(
        secret,
        { sub: flags.sub, unit: flags.unit, role: flags.role, ...(flags.uscc !== undefined ? { uscc: flags.uscc } : {}) },
        /^\d+$/.test(expiresIn) ? Number(expiresIn) : expiresIn,
      );
      io.out({ token });
      return 0;
    } catch (e) {
      if (e instanceof InvalidTokenRequest) throw new CliUsageError(e.problems.map((p) => `--${p.field}: ${p.reason}`).join('; '));
      throw e;
    }
  },
};
