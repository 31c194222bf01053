import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Where the audit machinery keeps its own files inside CBEC_DATA_DIR. They live beside the event log
 * but never in it: a digest must survive (and expose) a rewrite of the log.
 */
export interface AuditFiles {
  dataDir: string;
  /** Append-only digests (and nothing else): `audit-digests.db`. */
  digestsDb: string;
  /** Append-only record of who read which case: `audit-reads.db` (its own file, Cybersecurity Law art. 21). */
  readsDb: string;
  /** Ed25519 private key (PKCS#8 PEM, 0600), generated on first use. */
  privateKey: string;
  /** Ed25519 public key (SPKI PEM): what an auditor keeps outside the system. */
  publicKey: string;
}

export function auditFiles(dataDir: string): AuditFiles {
  mkdirSync(dataDir, { recursive: true });
  return {
    dataDir,
    digestsDb: join(dataDir, 'audit-digests.db'),
    readsDb: join(dataDir, 'audit-reads.db'),
    privateKey: join(dataDir, 'audit-signing-key.pem'),
    publicKey: join(dataDir, 'audit-signing-key.pub.pem'),
  };
}

/** CBEC_DATA_DIR as the server reads it (default ./data, relative to the working directory). */
export function dataDirFromEnv(env: NodeJS.ProcessEnv, cwd: string): string {
  const dir = env.CBEC_DATA_DIR && env.CBEC_DATA_DIR.trim() !== '' ? env.CBEC_DATA_DIR : 'data';
  return resolve(cwd, dir);
}
