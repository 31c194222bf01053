import type { EventStore } from '@cbec/event-store';
import type { KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { auditFiles, type AuditFiles } from './shared/audit-files';
import { DigestLog } from './integrity/digest-log';
import { DEFAULT_DIGEST_EVERY, DigestWriter, type DigestWriterOptions } from './integrity/digest-writer';
import { publicKeyFromPem, SigningKey } from './integrity/signing-key';
import { CAN_USE_VERIFY_WORKERS, verifySqliteLog, verifySqliteLogInRanges, verifyStoreLog, type AuditVerifyReport } from './integrity/verify-log';
import { ReadLog } from './reads/read-log';
import { AuditBadInput } from './shared/history-entry';

/**
 * Everything the audit tools need from one running instance: the event store, CBEC_DATA_DIR (keys,
 * digests, read records) and the clock. The CLI builds one per invocation; the app one per process.
 */
export class AuditContext {
  readonly files: AuditFiles;
  private key?: SigningKey;
  private digestLog?: DigestLog;
  private readLog?: ReadLog;

  constructor(
    readonly store: EventStore,
    dataDir: string,
    readonly now: () => Date = () => new Date(),
    readonly digestEvery: number = DEFAULT_DIGEST_EVERY,
  ) {
    this.files = auditFiles(dataDir);
  }

  signingKey(): SigningKey {
    return (this.key ??= SigningKey.loadOrCreate(this.files));
  }

  digests(): DigestLog {
    return (this.digestLog ??= new DigestLog(this.files.digestsDb));
  }

  reads(): ReadLog {
    return (this.readLog ??= new ReadLog(this.files.readsDb));
  }

  digestWriter(options: Pick<DigestWriterOptions, 'followIntervalMs' | 'logger'> = {}): DigestWriter {
    return new DigestWriter(this.store, this.digests(), this.signingKey(), { every: this.digestEvery, now: this.now, ...options });
  }

  /** Catches up with the log and signs a digest of its current heads (nothing when already covered). */
  async digestNow(): Promise<ReturnType<DigestWriter['writeNow']>> {
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
  ): Promise<AuditVerifyReport> {
    const { key, source: keySource } = this.trustedKey(publicKeyPem, source);
    const digests = this.digests().all();
    const file = (this.store as { file?: unknown }).file;
    if (typeof file === 'string') {
      if (mode === 'sequential') return verifySqliteLog(file, digests, key, keySource);
      return verifySqliteLogInRanges(file, digests, key, keySource, mode === 'parallel' ? { workers: CAN_USE_VERIFY_WORKERS } : mode);
    }
    return verifyStoreLog(this.store, digests, key, keySource);
  }

  close(): void {
    this.digestLog?.close();
    this.readLog?.close();
    this.digestLog = undefined;
    this.readLog = undefined;
  }
}
