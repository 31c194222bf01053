import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Actor } from '@cbec/event-store';
import { onBeforeSend } from '@cbec/platform';
import { AuditContext } from '../audit-context';
import { isRecordedRead, readRecordOf } from './read-target';

/**
 * Records who read which case and when (GET `/applications/...` and `/audit/...`), with the answer's
 * status, in the append-only read log, just before the answer is sent: refusals included (a route's own
 * guard's 403 as well). Registered globally by `AuditModule` (APP_GUARD); it never refuses anything. The
 * caller is read when the answer goes out, so the order of the global guards does not matter; a request
 * that never authenticated (401) names nobody and is not recorded.
 */
@Injectable()
export class ReadAuditGuard implements CanActivate {
  private readonly logger = new Logger('ReadAudit');

  constructor(@Inject(AuditContext) private readonly audit: AuditContext) {}

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<{ actor?: Actor; method: string; originalUrl?: string; url: string }>();
    if (request.method !== 'GET') return true; // only reads are recorded; commands are in the log
    const path = (request.originalUrl ?? request.url).split('?')[0];
    if (!isRecordedRead(request.method, path)) return true;
    onBeforeSend(request, (status) => {
      const actor = request.actor;
      if (!actor) return;
      this.audit
        .reads()
        .record(readRecordOf(this.audit.now(), actor, request.method, path, status))
        .catch((e: unknown) => this.logger.error(`could not record a read of ${path} by ${actor.user}: ${(e as Error).message}`));
    });
    return true;
  }
}
