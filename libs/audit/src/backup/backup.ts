import { openSqliteEventStore } from '@cbec/event-store';
import Database from 'better-sqlite3';
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { KeyObject } from 'node:crypto';
import { dirname, join } from 'node:path';
import { AuditContext } from '../audit-context';
import { fileSha256 } from '../export/read-lines';
import { publicKeyFromPem, verifySignature } from '../integrity/signing-key';
import { sqliteLeafSource } from '../integrity/tree/leaf-source';
import { signTreeHead, treeHeadProblem, verifyTreeHeadSignature, type SignedTreeHead } from '../integrity/tree/tree-head';
import { checkTree, readLeaves } from '../integrity/tree/verify-tree';
import { rootOf } from '../integrity/tree/merkle';
import { SqliteTreeHeadLog } from '../integrity/tree/tree-head-log';
import type { AuditVerifyReport } from '../integrity/verify-log';
import { AuditBadInput } from '../shared/history-entry';

export const BACKUP_FORMAT = 'cbec-backup/1';
export const BACKUP_MANIFEST = 'manifest.json';
export const BACKUP_SIGNATURE = 'manifest.sig';

/**
 * The SQLite stores copied, in this order. What a command's answer depends on is copied before the log,
 * so the copy of the log holds every command they record: the digests and tree heads (the log copy
 * extends them), the idempotency answers (an answer in the copy has its events in the copy).
 */
// The revocation list too: a restore must not bring a revoked token back to life.
const STORES_BEFORE_LOG = ['audit-digests.db', 'audit-tree.db', 'idempotency.db', 'audit-reads.db', 'audit-security.db', 'revoked-tokens.db'];
const LOG = 'events.db';
/** Rebuilt from the log on the first start after a restore, so not copied (a copy could be ahead of the log copy). */
export const REBUILT_FROM_LOG = ['read-models.db', 'process.db', 'relay-checkpoint.db', 'reporting.db'];
/** Plain files, copied as they are (they change rarely, and never mid-write: written whole and renamed). */
const PLAIN_FILES = ['jwt-secret', 'audit-signing-key.pub.pem', 'audit-signing-key.pem'];

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  /** Every file of the backup: size and SHA-256. */
  files: Record<string, { bytes: number; sha256: string }>;
  /** A tree head signed over the copied log: the head the backup reached. */
  treeHead: SignedTreeHead;
  /** Stores not copied: the server rebuilds them from the log. */
  rebuiltFromLog: string[];
}

export class BackupRefused extends Error {
  readonly code = 'backup-refused';
}

/**
 * Copies every store of a live data folder into `target` (created, must be empty) with SQLite's online
 * backup (a consistent copy of each database, WAL included, while the server writes), then signs a tree
 * head over the copied log and writes a signed manifest. Refuses a folder whose log does not extend its
 * own latest tree head (a backup of a tampered log would only spread it).
 */
export async function backupDataFolder(
  ctx: AuditContext,
  target: string,
): Promise<{ target: string; manifest: BackupManifest; log: AuditVerifyReport['tree'] }> {
  const dataDir = ctx.files.dataDir;
  if (existsSync(target) && readdirSync(target).length > 0) throw new AuditBadInput('backup-dir', `${target} is not empty`);
  mkdirSync(target, { recursive: true, mode: 0o700 });
  const copied: string[] = [];
  for (const name of [...STORES_BEFORE_LOG, LOG]) {
    const from = join(dataDir, name);
    if (!existsSync(from)) continue;
    const db = new Database(from, { readonly: true, fileMustExist: true, timeout: 5000 });
    try {
      await db.backup(join(target, name));
    } finally {
      db.close();
    }
    copied.push(name);
  }
  for (const name of PLAIN_FILES) {
    if (!existsSync(join(dataDir, name))) continue;
    copyFileSync(join(dataDir, name), join(target, name));
    copied.push(name);
  }
  if (existsSync(join(dataDir, 'calendar'))) {
    cpSync(join(dataDir, 'calendar'), join(target, 'calendar'), { recursive: true });
    for (const f of readdirSync(join(target, 'calendar'))) copied.push(join('calendar', f));
  }
  if (!copied.includes(LOG)) throw new BackupRefused(`${dataDir} holds no ${LOG}: nothing to back up`);

  // The copied log against the copied heads, then a head over the copy.
  const source = sqliteLeafSource(join(target, LOG));
  let tree: AuditVerifyReport['tree'];
  let head: SignedTreeHead;
  try {
    const heads = existsSync(join(target, 'audit-tree.db')) ? await withTreeLog(join(target, 'audit-tree.db'), (l) => l.heads()) : [];
    tree = await checkTree(source, heads, ctx.signingKey().publicKey);
    if (!tree.ok) {
      rmSync(target, { recursive: true, force: true });
      throw new BackupRefused(`the log does not extend its own tree heads: ${tree.breaks.map((b) => b.detail).join('; ')}`);
    }
    head = signTreeHead(ctx.signingKey(), { treeSize: tree.treeSize, rootHash: tree.rootHash, timestamp: ctx.now().toISOString() });
  } finally {
    source.close();
  }
  const files: BackupManifest['files'] = {};
  for (const name of copied) files[name] = { bytes: statSync(join(target, name)).size, sha256: fileSha256(join(target, name)) };
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: ctx.now().toISOString(),
    files,
    treeHead: head,
    rebuiltFromLog: REBUILT_FROM_LOG.filter((n) => existsSync(join(dataDir, n))),
  };
  const text = JSON.stringify(manifest, null, 2) + '\n';
  writeFileSync(join(target, BACKUP_MANIFEST), text);
  writeFileSync(join(target, BACKUP_SIGNATURE), ctx.signingKey().sign(text) + '\n');
  return { target, manifest, log: tree };
}

async function withTreeLog<T>(file: string, use: (log: SqliteTreeHeadLog) => Promise<T>): Promise<T> {
  const log = new SqliteTreeHeadLog(file);
  try {
    return await use(log);
  } finally {
    await log.close();
  }
}

export interface RestoreReport {
  ok: boolean;
  target: string;
  restored: string[];
  rebuiltFromLog: string[];
  treeHead: SignedTreeHead | null;
  problems: string[];
  verify?: AuditVerifyReport;
}

/**
 * Restores a backup into `target` (a fresh folder: absent or empty). Refuses, leaving `target` as it was,
 * a backup whose manifest or files do not check out, or whose log does not verify: its chains and
 * digests, its own tree head (the manifest's), and, when given, a head held elsewhere (`trustedHead`),
 * by a consistency proof. `publicKeyPem`: the key the auditor holds (default: the backup's own).
 */
export async function restoreDataFolder(
  backup: string,
  target: string,
  options: { publicKeyPem?: string; trustedHead?: SignedTreeHead; now?: () => Date } = {},
): Promise<RestoreReport> {
  const problems: string[] = [];
  const refuse = (extra: Partial<RestoreReport> = {}): RestoreReport => ({
    ok: false,
    target,
    restored: [],
    rebuiltFromLog: [],
    treeHead: null,
    problems,
    ...extra,
  });
  if (!existsSync(join(backup, BACKUP_MANIFEST))) throw new AuditBadInput('backup-dir', `${backup} holds no ${BACKUP_MANIFEST}: not a backup`);
  if (existsSync(target) && readdirSync(target).length > 0) throw new AuditBadInput('data-dir', `${target} is not empty: restore into a fresh folder`);
  const text = readFileSync(join(backup, BACKUP_MANIFEST), 'utf8');
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(text) as BackupManifest;
    if (manifest.format !== BACKUP_FORMAT) throw new Error(`format is ${JSON.stringify(manifest.format)}, expected ${BACKUP_FORMAT}`);
    const headProblem = treeHeadProblem(manifest.treeHead);
    if (headProblem) throw new Error(`treeHead: ${headProblem}`);
  } catch (e) {
    problems.push(`${BACKUP_MANIFEST}: ${(e as Error).message}`);
    return refuse();
  }
  let key: KeyObject;
  try {
    key = publicKeyFromPem(options.publicKeyPem ?? readFileSync(join(backup, 'audit-signing-key.pub.pem'), 'utf8'));
  } catch (e) {
    problems.push(`the public key: ${(e as Error).message}`);
    return refuse();
  }
  const signature = existsSync(join(backup, BACKUP_SIGNATURE)) ? readFileSync(join(backup, BACKUP_SIGNATURE), 'utf8').trim() : '';
  if (!verifySignature(key, text, signature)) problems.push(`${BACKUP_MANIFEST}: its signature does not verify with the public key`);
  if (!verifyTreeHeadSignature(manifest.treeHead, key)) problems.push(`the backup's tree head does not verify with the public key`);
  for (const [name, want] of Object.entries(manifest.files)) {
    const file = join(backup, name);
    if (!existsSync(file)) problems.push(`${name}: listed in the manifest, missing`);
    else if (fileSha256(file) !== want.sha256) problems.push(`${name}: its SHA-256 differs from the manifest (changed since the backup)`);
  }
  if (!manifest.files[LOG]) problems.push(`the backup holds no ${LOG}`);
  if (problems.length) return refuse();

  // The log itself, read from the backup before anything is written to the target.
  const source = sqliteLeafSource(join(backup, LOG));
  try {
    const { leaves } = await readLeaves(source);
    const own = manifest.treeHead;
    if (leaves.size !== own.treeSize || rootOf(leaves).toString('hex') !== own.rootHash) {
      problems.push(`the backed-up log does not give its own tree head (${own.treeSize} events, root ${own.rootHash}): it was changed after the backup`);
      return refuse({ treeHead: own });
    }
  } finally {
    source.close();
  }

  mkdirSync(target, { recursive: true, mode: 0o700 });
  const restored: string[] = [];
  for (const name of Object.keys(manifest.files)) {
    mkdirSync(dirname(join(target, name)), { recursive: true });
    copyFileSync(join(backup, name), join(target, name));
    restored.push(name);
  }
  // Full verification in the restored folder: chains, digests, stored tree heads, the trusted head.
  const store = openSqliteEventStore({ directory: target, logger: { error: () => undefined } });
  const ctx = new AuditContext(store, target, options.now);
  let verify: AuditVerifyReport;
  try {
    // The log was shown above to be exactly the tree of its own head; a trusted head must be a prefix of it.
    verify = await ctx.verify(key.export({ type: 'spki', format: 'pem' }) as string, 'the backup key', 'sequential', options.trustedHead ?? manifest.treeHead);
  } finally {
    await ctx.close();
    await store.close();
  }
  if (!verify.ok) {
    for (const name of readdirSync(target)) rmSync(join(target, name), { recursive: true, force: true });
    problems.push(...verify.breaks.map((b) => b.detail));
    return refuse({ treeHead: manifest.treeHead, verify });
  }
  return { ok: true, target, restored, rebuiltFromLog: manifest.rebuiltFromLog, treeHead: manifest.treeHead, problems, verify };
}
