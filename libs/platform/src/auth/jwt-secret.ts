import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const JWT_SECRET_FILE = 'jwt-secret';

/**
 * The instance's HS256 secret: generated once into `<dataDir>/jwt-secret` (mode 0600) and read by the
 * server and the CLI alike, so a token minted by `cli token` is accepted by the server on the same data dir.
 */
export function loadOrCreateJwtSecret(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, JWT_SECRET_FILE);
  try {
    // 'wx': whoever creates it first wins; a concurrent starter reads the winner's secret below.
    writeFileSync(path, randomBytes(48).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readSecret(path);
}

/** The secret already in `<dataDir>/jwt-secret`, or undefined when the folder has none (nothing is created). */
export function readJwtSecret(dataDir: string): string | undefined {
  const path = join(dataDir, JWT_SECRET_FILE);
  return existsSync(path) ? readSecret(path) : undefined;
}

function readSecret(path: string): string {
  const secret = readFileSync(path, 'utf8').trim();
  if (secret.length < 32) throw new Error(`${path} holds a secret shorter than 32 characters; delete it to regenerate`);
  return secret;
}

/** CBEC_DATA_DIR, default ./data (docs/api.md "Running"). */
export function dataDirFromEnv(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  const dir = env.CBEC_DATA_DIR && env.CBEC_DATA_DIR.trim() !== '' ? env.CBEC_DATA_DIR : 'data';
  return join(dir.startsWith('/') ? '' : cwd, dir);
}
