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
  /** What the server found wrong with its own data (a stream failing its check when loaded): `audit-security.db`. */
  securityDb: string;
  /** Signed Merkle tree heads and the frontier each was computed from: `audit-tree.db`. */
  treeDb: string;
  /**
   * Ed25519 private key (PKCS#8 PEM, 0600): CBEC_AUDIT_KEY_FILE, outside the data folder; when unset
   * (development only) generated into the data folder on first use.
   */
  privateKey: string;
  /** Whether the key lives in the data folder (CBEC_AUDIT_KEY_FILE unset): a start-up warning says so. */
  keyInDataDir: boolean;
  /** Ed25519 public key (SPKI PEM): what an auditor keeps outside the system. */
  publicKey: string;
}

export function auditFiles(dataDir: string, keyFile?: string): AuditFiles {
  mkdirSync(dataDir, { recursive: true });
  return {
    dataDir,
    digestsDb: join(dataDir, 'audit-digests.db'),
    readsDb: join(dataDir, 'audit-reads.db'),
    treeDb: join(dataDir, 'audit-tree.db'),
    securityDb: join(dataDir, 'audit-security.db'),
    privateKey: keyFile ? resolve(keyFile) : join(dataDir, 'audit-signing-key.pem'),
    keyInDataDir: !keyFile,
    publicKey: join(dataDir, 'audit-signing-key.pub.pem'),
  };
}

/** CBEC_DATA_DIR as the server reads it (default ./data, relative to the working directory). */
export function dataDirFromEnv(env: NodeJS.ProcessEnv, cwd: string): string {
  const dir = env.CBEC_DATA_DIR && env.CBEC_DATA_DIR.trim() !== '' ? env.CBEC_DATA_DIR : 'data';
  return resolve(cwd, dir);
}

/** Where the audit keeps what must not live in the data folder (docs/operations.md). */
export interface AuditPlaces {
  /** CBEC_AUDIT_KEY_FILE: the signing key's private half. */
  keyFile?: string;
  /** CBEC_AUDIT_WITNESS_DIR: every signed tree head is appended to `tree-heads.jsonl` there. */
  witnessDir?: string;
  /** DATABASE_URL: the read log and the security log live in that database, shared by its servers. */
  databaseUrl?: string;
}

export function auditPlacesFromEnv(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): AuditPlaces {
  const set = (name: string): string | undefined => (env[name] && env[name]!.trim() !== '' ? resolve(cwd, env[name]!) : undefined);
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  return { keyFile: set('CBEC_AUDIT_KEY_FILE'), witnessDir: set('CBEC_AUDIT_WITNESS_DIR'), ...(databaseUrl ? { databaseUrl } : {}) };
}
