import { randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with node's own `crypto.scrypt` (RFC 7914, memory-hard): no native dependency to
 * build, audit and keep in step with Node, and what 等保2.0 asks (a salted, slow, standard hash) without
 * one. Every credential keeps its own random salt and the parameters it was hashed with, so the cost can
 * be raised later without invalidating stored hashes.
 */
export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  keyLength: number;
}

/** 2^15 x 8 x 128 B = 32 MiB and ~0.1 s per hash here: `CBEC_SCRYPT_LOG_N` raises it (docs/operations.md). */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 };

export interface Credential {
  credentialId: string;
  scheme: 'scrypt';
  params: ScryptParams;
  salt: string;
  hash: string;
}

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFC'),
      salt,
      params.keyLength,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export function scryptParamsFromEnv(env: NodeJS.ProcessEnv): ScryptParams {
  const raw = env.CBEC_SCRYPT_LOG_N?.trim();
  if (!raw) return DEFAULT_SCRYPT;
  const logN = Number(raw);
  if (!Number.isInteger(logN) || logN < 14 || logN > 20) throw new Error(`CBEC_SCRYPT_LOG_N must be an integer from 14 to 20, got ${JSON.stringify(raw)}`);
  return { ...DEFAULT_SCRYPT, N: 2 ** logN };
}

export class PasswordHasher {
  constructor(private readonly params: ScryptParams = DEFAULT_SCRYPT) {}

  async hash(password: string): Promise<Credential> {
    const salt = randomBytes(16);
    const key = await derive(password, salt, this.params);
    return { credentialId: randomUUID(), scheme: 'scrypt', params: { ...this.params }, salt: salt.toString('base64'), hash: key.toString('base64') };
  }

  async verify(password: string, credential: Credential): Promise<boolean> {
    const expected = Buffer.from(credential.hash, 'base64');
    const key = await derive(password, Buffer.from(credential.salt, 'base64'), credential.params);
    return key.length === expected.length && timingSafeEqual(key, expected);
  }

  /**
   * The same work as a verification, for an attempt that has no credential to check (unknown user,
   * disabled, locked): the answer takes as long whichever it is.
   */
  async waste(password: string): Promise<void> {
    await derive(password, DUMMY_SALT, this.params);
  }
}

const DUMMY_SALT = Buffer.alloc(16, 7);
