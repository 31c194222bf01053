import type { EventStore } from '@cbec/event-store';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { auditFiles, type AuditFiles, type AuditPlaces } from './shared/audit-files';
import { leafSourceFor } from './integrity/tree/leaf-source';
import { SqliteTreeHeadLog, type TreeHeadLog } from './integrity/tree/tree-head-log';
import { PostgresTreeHeadLog } from './integrity/tree/postgres-tree-head-log';
import { TreeHeadWriter, type TreeHeadWriterOptions } from './integrity/tree/tree-head-writer';
import type { SignedTreeHead } from './integrity/tree/tree-head';
import { checkTree, proveInclusion, type InclusionAnswer } from './integrity/tree/verify-tree';
import { WitnessFile } from './integrity/tree/witness';
import { acceptedKeys, recordedRotations } from './integrity/tree/key-rotation';
import { type DigestLog, SqliteDigestLog } from './integrity/digest-log';
import { PostgresDigestLog } from './integrity/postgres-digest-log';
import type { SignedDigest } from './integrity/digest';
import { DEFAULT_DIGEST_EVERY, DigestWriter, type DigestWriterOptions } from './integrity/digest-writer';
import { publicKeyFromPem, SigningKey } from './integrity/signing-key';
import { CAN_USE_VERIFY_WORKERS, verifySqliteLog, verifySqliteLogInRanges, verifyStoreLog, type AuditVerifyReport } from './integrity/verify-log';
import { type ReadLog, SqliteReadLog } from './reads/read-log';
import { PostgresReadLog } from './reads/postgres-read-log';
import { AuditBadInput, AuditNotFound } from './shared/history-entry';
import { type SecurityLog, SqliteSecurityLog } from './integrity/security-log';
import { PostgresSecurityLog } from './integrity/postgres-security-log';

/**
 * Everything the audit tools need from one running instance: the event store, CBEC_DATA_DIR (keys, and
 * with a SQLite log the digests, tree heads, read records and security log), DATABASE_URL (where those
 * live with a PostgreSQL log) and the clock. The CLI builds one per invocation; the app one per process.
 */
export class AuditContext {
  readonly files: AuditFiles;
  private key?: SigningKey;
  private digestLog?: DigestLog;
  private readLog?: ReadLog;
  private treeLog?: TreeHeadLog;
  private securityLog?: SecurityLog;

  constructor(
    readonly store: EventStore,
    dataDir: string,
    readonly now: () => Date = () => new Date(),
    readonly digestEvery: number = DEFAULT_DIGEST_EVERY,
    readonly places: AuditPlaces = {},
  ) {
    this.files = auditFiles(dataDir, places.keyFile);
  }

  /** The signed tree heads: `audit-tree.db`, or PostgreSQL with DATABASE_URL. */
  treeHeads(): TreeHeadLog {
    const url = this.places.databaseUrl;
    return (this.treeLog ??= url ? new PostgresTreeHeadLog(url) : new SqliteTreeHeadLog(this.files.treeDb));
  }

  witness(): WitnessFile | undefined {
    return this.places.witnessDir ? new WitnessFile(this.places.witnessDir) : undefined;
  }

  /** The latest signed tree head (null before the first). */
  async latestTreeHead(): Promise<SignedTreeHead | null> {
    return (await this.treeHeads().last())?.head ?? null;
  }

  /** A writer of tree heads over this log (call `open` first: it refuses a log that does not extend what was published). */
  treeHeadWriter(options: Omit<TreeHeadWriterOptions, 'now' | 'witness'> = {}): { writer: TreeHeadWriter; close(): void } {
    const source = leafSourceFor(this.store);
    const writer = new TreeHeadWriter(source, this.treeHeads(), this.signingKey(), { now: this.now, witness: this.witness(), ...options });
    return { writer, close: () => source.close() };
  }

  /**
   * Re-signs by hand (`audit digest`): recomputes the tree from every event, refuses (TreeHeadRefused) a log
   * that does not extend the last head stored or witnessed, then signs a head over it (none when nothing changed).
   */
  async signTreeHeadNow(): Promise<{ written: boolean; head: SignedTreeHead | null }> {
    const { writer, close } = this.treeHeadWriter();
    try {
      await writer.open({ full: true });
      const head = await writer.signNow();
      return { written: head !== null, head: head ?? writer.lastHead };
    } finally {
      close();
    }
  }

  /** The inclusion proof of the event at a global position, in the tree of the first `treeSize` events (default all). */
  async inclusionProof(globalPosition: number, treeSize?: number): Promise<InclusionAnswer> {
    const source = leafSourceFor(this.store);
    try {
      const answer = await proveInclusion(source, globalPosition, treeSize).catch((e: unknown) => {
        throw e instanceof RangeError ? new AuditBadInput('treeSize', e.message) : e;
      });
      if (!answer) throw new AuditNotFound(`no event at global position ${globalPosition} in the tree`);
      return answer;
    } finally {
      source.close();
    }
  }

  signingKey(): SigningKey {
    return (this.key ??= SigningKey.loadOrCreate(this.files));
  }

  /** The signed digests: `audit-digests.db`, or PostgreSQL with DATABASE_URL. */
  digests(): DigestLog {
    const url = this.places.databaseUrl;
    return (this.digestLog ??= url ? new PostgresDigestLog(url) : new SqliteDigestLog(this.files.digestsDb));
  }

  /** The read log: `audit-reads.db`, or PostgreSQL with DATABASE_URL. */
  reads(): ReadLog {
    const url = this.places.databaseUrl;
    return (this.readLog ??= url ? new PostgresReadLog(url) : new SqliteReadLog(this.files.readsDb));
  }

  /** The security log (integrity findings and refused requests): `audit-security.db`, or PostgreSQL with DATABASE_URL. */
  security(): SecurityLog {
    const url = this.places.databaseUrl;
    return (this.securityLog ??= url ? new PostgresSecurityLog(url) : new SqliteSecurityLog(this.files.securityDb));
  }

  digestWriter(options: Pick<DigestWriterOptions, 'followIntervalMs' | 'logger'> = {}): DigestWriter {
    return new DigestWriter(this.store, this.digests(), this.signingKey(), { every: this.digestEvery, now: this.now, ...options });
  }

  /** Catches up with the log and signs a digest of its current heads (nothing when already covered). */
  async digestNow(): Promise<SignedDigest | null> {
    const writer = this.digestWriter();
    await writer.catchUp();
    return writer.writeNow('manual');
  }

  /**
   * The key verify trusts: a PEM the auditor holds (`publicKeyPem`), else the instance's own public key.
   * Only the auditor's own copy catches a data folder that was re-keyed and re-signed.
   */
  trustedKey(publicKeyPem?: string, source?: string): { key: KeyObject; source: string } {
    if (publicKeyPem !== undefined) {
      try {
        return { key: publicKeyFromPem(publicKeyPem), source: source ?? 'given' };
      } catch (e) {
        throw new AuditBadInput('public-key', `not an Ed25519 public key in PEM form (${(e as Error).message})`);
      }
    }
    if (existsSync(this.files.publicKey)) return { key: publicKeyFromPem(readFileSync(this.files.publicKey, 'utf8')), source: this.files.publicKey };
    return { key: this.signingKey().publicKey, source: this.files.publicKey };
  }

  /**
   * `mode`: 'parallel' (default for SQLite: slices of the log checked in worker threads, one per core,
   * when the compiled worker is available), 'sequential' (one pass), or explicit ranges (tests).
   */
  async verify(
    publicKeyPem?: string,
    source?: string,
    mode: 'parallel' | 'sequential' | { ranges: number; workers: boolean } = 'parallel',
    trustedHead?: SignedTreeHead,
  ): Promise<AuditVerifyReport> {
    const { key: trusted, source: keySource } = this.trustedKey(publicKeyPem, source);
    // The trusted key and the keys recorded rotations link to it: digests and heads signed by any count.
    const key = acceptedKeys(trusted, await recordedRotations(this.store));
    const digests = await this.digests().all();
    const file = (this.store as { file?: unknown }).file;
    let report: AuditVerifyReport;
    if (typeof file === 'string') {
      if (mode === 'sequential') report = await verifySqliteLog(file, digests, key, keySource);
      else report = await verifySqliteLogInRanges(file, digests, key, keySource, mode === 'parallel' ? { workers: CAN_USE_VERIFY_WORKERS } : mode);
    } else {
      report = await verifyStoreLog(this.store, digests, key, keySource);
    }
    // The Merkle tree: every stored head's root, and the head held elsewhere with a consistency proof.
    const leafSource = leafSourceFor(this.store);
    try {
      const tree = await checkTree(leafSource, await this.treeHeads().heads(), key, trustedHead);
      report.tree = tree;
      for (const b of tree.breaks) report.breaks.push({ kind: b.kind, expected: b.expected, found: b.found, detail: b.detail });
      report.ok = report.ok && tree.ok;
    } finally {
      leafSource.close();
    }
    return report;
  }

  async close(): Promise<void> {
    const [tree, digests, reads, security] = [this.treeLog, this.digestLog, this.readLog, this.securityLog];
    this.treeLog = undefined;
    this.digestLog = undefined;
    this.readLog = undefined;
    this.securityLog = undefined;
    await tree?.close();
    await digests?.close();
    await reads?.close();
    await security?.close();
  }
}
