import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import { CliIo, CliUsageError } from '../cli';
import { loadOrCreateJwtSecret } from '../../../../libs/platform/src/auth/jwt-secret';
import { verifyToken } from '../../../../libs/platform/src/auth/token';
import { tokenCommand } from './token.command';

describe('cli token', () => {
  let dataDir: string;
  let out: unknown[];
  let io: CliIo;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cbec-token-'));
    out = [];
    io = { out: (v) => out.push(v), err: () => undefined, env: { CBEC_DATA_DIR: dataDir }, cwd: '/' };
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('mints a token the server on the same data dir accepts, creating the secret (0600) beside an event store that has none', async () => {
    writeFileSync(join(dataDir, 'events.db'), '');
    expect(await tokenCommand.run(['--sub', 'li', '--unit', 'APPLICANT', '--role', 'applicant', '--uscc', '91341502MA2DEM001K'], io)).toBe(0);
    expect(statSync(join(dataDir, 'jwt-secret')).mode & 0o777).toBe(0o600);
    const { token } = out[0] as { token: string };
    const actor = verifyToken(new JwtService({ secret: loadOrCreateJwtSecret(dataDir) }), token);
    expect(actor).toEqual({ user: 'li', unit: 'APPLICANT', role: 'applicant', uscc: '91341502MA2DEM001K' });
  });

  it('signs with the secret the server already made in the data folder', async () => {
    const serverSecret = loadOrCreateJwtSecret(dataDir);
    expect(await tokenCommand.run(['--sub', 'zhao', '--unit', 'FIN', '--role', 'head'], io)).toBe(0);
    const { token } = out[0] as { token: string };
    expect(verifyToken(new JwtService({ secret: serverSecret }), token)).toEqual({ user: 'zhao', unit: 'FIN', role: 'head' });
  });

  it('refuses a data folder that holds neither a secret nor a store, naming CBEC_DATA_DIR and creating nothing', async () => {
    const missing = join(dataDir, 'not-a-server');
    io.env = { CBEC_DATA_DIR: missing };
    await expect(tokenCommand.run(['--sub', 'zhao', '--unit', 'FIN', '--role', 'head'], io)).rejects.toThrow(
      /not-a-server \(CBEC_DATA_DIR\) holds no jwt-secret and no event store.*set CBEC_DATA_DIR to the server's data folder/,
    );
    expect(existsSync(missing)).toBe(false);

    io.env = { CBEC_DATA_DIR: dataDir }; // exists, but empty
    await expect(tokenCommand.run(['--sub', 'zhao', '--unit', 'FIN', '--role', 'head'], io)).rejects.toBeInstanceOf(CliUsageError);
    expect(readdirSync(dataDir)).toEqual([]);
    expect(out).toEqual([]);
  });

  it('refuses unknown units and roles, naming the option (exit 2)', async () => {
    await expect(tokenCommand.run(['--sub', 'li', '--unit', 'TAX', '--role', 'head'], io)).rejects.toThrow(/--unit/);
    await expect(tokenCommand.run(['--sub', 'li', '--unit', 'FIN', '--role', 'boss'], io)).rejects.toThrow(/--role/);
    await expect(tokenCommand.run(['--sub', 'li', '--unit', 'APPLICANT', '--role', 'applicant'], io)).rejects.toThrow(/--uscc/);
    await expect(tokenCommand.run(['--unit', 'FIN', '--role', 'head'], io)).rejects.toBeInstanceOf(CliUsageError);
    await expect(tokenCommand.run(['--sub', 'li', '--unit', 'FIN', '--role', 'head', '--expires-in', 'soon'], io)).rejects.toThrow(/--expires-in/);
  });
});
