import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { EventStore } from '@cbec/event-store';
import { CLOCK, DATA_DIR, DATABASE_URL, EVENT_STORE, type Clock } from '@cbec/platform';
import { AuditContext } from '../audit-context';
import { auditPlacesFromEnv } from '../shared/audit-files';
import { DEFAULT_DIGEST_EVERY } from '../integrity/digest-writer';
import { AuditController } from './audit.controller';
import { AuditorGuard } from './auditor.guard';
import { AuditDigestService } from './digest.service';
import { ReadAuditGuard } from './read-audit.guard';
import { SecurityLogRecorder } from './security-log.recorder';

export function digestEveryFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.CBEC_AUDIT_DIGEST_EVERY;
  if (text === undefined || text === '') return DEFAULT_DIGEST_EVERY;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`CBEC_AUDIT_DIGEST_EVERY must be a positive integer, got ${JSON.stringify(text)}`);
  return n;
}

/**
 * The auditors' HTTP API under `/audit` (role AUDIT only), the digest writer (every N events and at
 * shutdown) and the read-recording guard (registered globally). Needs the app's global
 * `'EVENT_STORE'`, `'DATA_DIR'` and `'CLOCK'` providers.
 */
@Module({
  controllers: [AuditController],
  providers: [
    {
      provide: AuditContext,
      inject: [EVENT_STORE, DATA_DIR, CLOCK, { token: DATABASE_URL, optional: true }],
      useFactory: (store: EventStore, dataDir: string, clock: Clock, databaseUrl: string | null | undefined) => {
        // The app's DATABASE_URL (one engine for all its stores), whatever this process's environment says.
        const { databaseUrl: _fromEnv, ...places } = auditPlacesFromEnv(process.env);
        return new AuditContext(store, dataDir, () => clock.now(), digestEveryFromEnv(), { ...places, ...(databaseUrl ? { databaseUrl } : {}) });
      },
    },
    AuditorGuard,
    AuditDigestService,
    SecurityLogRecorder,
    ReadAuditGuard,
    { provide: APP_GUARD, useExisting: ReadAuditGuard },
  ],
  exports: [AuditContext, AuditDigestService, SecurityLogRecorder],
})
export class AuditModule {}
