import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AuditContext } from '../audit-context';
import type { DigestWriter } from '../integrity/digest-writer';

/**
 * Runs the DigestWriter in the server: a store subscription that signs a digest every N events
 * (CBEC_AUDIT_DIGEST_EVERY, default 1000), and a last digest when the app shuts down (the app must call
 * `enableShutdownHooks()` so that SIGTERM reaches here).
 */
@Injectable()
export class AuditDigestService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditDigests');
  private writer: DigestWriter | null = null;

  constructor(@Inject(AuditContext) private readonly audit: AuditContext) {}

  onApplicationBootstrap(): void {
    this.writer = this.audit.digestWriter({ logger: this.logger });
    this.writer.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    const writer = this.writer;
    this.writer = null;
    if (!writer) return;
    try {
      const digest = await writer.stop();
      if (digest) this.logger.log(`shutdown digest ${digest.body.seq} at position ${digest.body.globalPosition}`);
    } catch (e) {
      this.logger.error(`could not write the shutdown digest: ${(e as Error).message}`);
    } finally {
      this.audit.close();
    }
  }

  get state(): string {
    return this.writer?.subscriptionState ?? 'stopped';
  }
}
