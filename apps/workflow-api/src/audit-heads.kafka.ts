import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { AuditDigestService } from '@cbec/audit';
import { AuditHeadsPublisher, relayConfigFromEnv } from '@cbec/messaging';
import { FOLLOWS_LOG } from '@cbec/platform';

export const AUDIT_HEADS_ENV = 'CBEC_AUDIT_HEADS_ENV';

/**
 * With KAFKA_BROKERS set, the process that signs the audit tree heads also publishes each one to
 * `cbec.audit-heads.v1` (a witness outside the data folder, docs/auditing.md), best effort.
 */
@Injectable()
export class AuditHeadsKafka implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AuditHeadsKafka');
  private publisher?: AuditHeadsPublisher;

  constructor(
    private readonly digests: AuditDigestService,
    @Inject(AUDIT_HEADS_ENV) private readonly env: NodeJS.ProcessEnv,
    @Optional() @Inject(FOLLOWS_LOG) private readonly followsLog: boolean = true,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.env.KAFKA_BROKERS || !this.followsLog) return;
    const config = relayConfigFromEnv(this.env, { dataDir: '.' });
    const publisher = new AuditHeadsPublisher(config, { log: (m) => this.logger.log(m), warn: (m) => this.logger.warn(m) });
    this.publisher = publisher;
    this.digests.onTreeHead((head) => publisher.publish(head));
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.publisher?.stop();
  }
}
