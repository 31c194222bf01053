import { createPrivateKey, createPublicKey, generateKeyPairSync, KeyObject, sign, verify } from 'node:crypto';
import { chmodSync, existsSync, linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import type { AuditFiles } from '../shared/audit-files';

/**
 * The instance's Ed25519 key pair that signs digests and bundle manifests. Generated into CBEC_DATA_DIR
 * on first use; the public key is what an auditor copies out (`audit public-key`) and later verifies
 * against, so that a re-keyed, re-signed data folder does not verify with the key the auditor holds.
 */
export class SigningKey {
  private constructor(
    private readonly privateKey: KeyObject,
    readonly publicKey: KeyObject,
  ) {}

  static loadOrCreate(files: AuditFiles): SigningKey {
    if (!existsSync(files.privateKey)) {
      const { privateKey } = generateKeyPairSync('ed25519');
      // Written under a temporary name and hard-linked into place (fails if it exists), so two processes
      // (or two threads of one: the digest thread) starting together agree on one key and never read half a file.
      const tmp = `${files.privateKey}.${process.pid}.${threadId}.tmp`;
      writeFileSync(tmp, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      try {
        linkSync(tmp, files.privateKey);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      } finally {
        unlinkSync(tmp);
      }
    }
    chmodSync(files.privateKey, 0o600);
    const privateKey = createPrivateKey(readFileSync(files.privateKey));
    const publicKey = createPublicKey(privateKey);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }) as string;
    if (!existsSync(files.publicKey) || readFileSync(files.publicKey, 'utf8') !== pem) writeFileSync(files.publicKey, pem);
    return new SigningKey(privateKey, publicKey);
  }

  publicKeyPem(): string {
    return this.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  }

  /** Base64 Ed25519 signature over the UTF-8 text. */
  sign(text: string): string {
    return sign(null, Buffer.from(text, 'utf8'), this.privateKey).toString('base64');
  }
}

export function publicKeyFromPem(pem: string): KeyObject {
  const key = createPublicKey(pem);
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`public key is ${key.asymmetricKeyType}, expected ed25519`);
  return key;
}

export function verifySignature(publicKey: KeyObject, text: string, signatureB64: string): boolean {
  try {
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}
