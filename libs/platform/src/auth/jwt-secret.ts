import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const JWT_SECRET_FILE = 'jwt-secret';
/** Names a file holding the HS256 secret, kept outside the data folder (a secret mounted on every server). */
export const JWT_SECRET_FILE_ENV = 'CBEC_JWT_SECRET_FILE';

/**
 * Where the instance's HS256 secret is: `CBEC_JWT_SECRET_FILE` when set (servers sharing one database
 * share one secret this way, each with a data folder of its own), else `<dataDir>/jwt-secret`.
 */
export function jwtSecretPlace(dataDir: string, env: NodeJS.ProcessEnv = process.env): { path: string; configured: boolean } {
  const configured = env[JWT_SECRET_FILE_ENV]?.trim();
  return configured ? { path: resolve(configured), configured: true } : { path: join(dataDir, JWT_SECRET_FILE), configured: false };
}

/**
 * The instance's HS256 secret, read by the server and the CLI alike, so a token minted by `cli token` is
 * accepted by the servers. From `CBEC_JWT_SECRET_FILE` when set (never created there: a missing file is an
 * error naming it); otherwise generated once into `<dataDir>/jwt-secret` (mode 0600).
 */
export function loadOrCreateJwtSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const place = jwtSecretPlace(dataDir, env);
  if (place.configured) {
    if (!existsSync(place.path)) throw new Error(`${JWT_SECRET_FILE_ENV}=${place.path}: no such file (it holds the HS256 secret, at least 32 characters)`);
    return readSecret(place.path);
  }
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': whoever creates it first wins; a concurrent starter reads the winner's secret below.
    writeFileSync(place.path, randomBytes(48).toString('base64url') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  return readSecret(place.path);
}

/** The secret already there (CBEC_JWT_SECRET_FILE or `<dataDir>/jwt-secret`), or undefined when there is none (nothing is created). */
export function readJwtSecret(dataDir: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const { path } = jwtSecretPlace(dataDir, env);
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
