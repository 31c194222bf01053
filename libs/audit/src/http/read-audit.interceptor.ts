import { CallHandler, ExecutionContext, Inject, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Actor } from '@cbec/event-store';
import { Observable, tap } from 'rxjs';
import { AuditContext } from '../audit-context';
import { isRecordedRead, readRecordOf } from './read-target';

/**
 * Records who read which case and when (GET `/applications/...` and `/audit/...`), with the answer's
 * status, in the append-only read log. Registered globally by `AuditModule` (APP_INTERCEPTOR).
 */
@Injectable()
export class ReadAuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger('ReadAudit');

  constructor(@Inject(AuditContext) private readonly audit: AuditContext) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<{ actor?: Actor; method: string; originalUrl?: string; url: string }>();
    const path = (request.originalUrl ?? request.url).split('?')[0];
    if (!isRecordedRead(request.method, path) || !request.actor) return next.handle();
    const actor = request.actor;
    const record = (status: number): void => {
      try {
        this.audit.reads().record(readRecordOf(this.audit.now(), actor, request.method, path, status));
      } catch (e) {
        this.logger.error(`could not record a read of ${path} by ${actor.user}: ${(e as Error).message}`);
      }
    };
    return next.handle().pipe(
      tap({
        next: () => record(context.switchToHttp().getResponse<{ statusCode?: number }>().statusCode ?? 200),
        error: (e: unknown) => record(statusOf(e)),
      }),
    );
  }
}

function statusOf(e: unknown): number {
  const err = e as { httpStatus?: unknown; getStatus?: () => number; status?: unknown };
  if (typeof err?.getStatus === 'function') return err.getStatus();
  if (typeof err?.httpStatus === 'number') return err.httpStatus;
  if (typeof err?.status === 'number') return err.status;
  return 500;
}
