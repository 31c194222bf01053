import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Actor } from '@cbec/event-store';
import { Forbidden } from '@cbec/platform';
import { AuditContext } from '../audit-context';
import { readRecordOf } from './read-target';

/**
 * `/api/v1/audit/*` is for the AUDIT unit alone (docs/api.md: AUDIT reads everything and changes nothing;
 * issue 6: 403 otherwise). A refused attempt is itself recorded in the read log.
 */
@Injectable()
export class AuditorGuard implements CanActivate {
  constructor(@Inject(AuditContext) private readonly audit: AuditContext) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ actor?: Actor; method: string; originalUrl?: string; url: string }>();
    const actor = request.actor;
    if (actor && actor.unit === 'AUDIT' && actor.role === 'auditor') return true;
    if (actor) {
      const path = (request.originalUrl ?? request.url).split('?')[0];
      await this.audit.reads().record(readRecordOf(this.audit.now(), actor, request.method, path, 403));
    }
    throw new Forbidden(`the audit endpoints are for the AUDIT unit (role auditor); caller is ${actor ? `${actor.unit}/${actor.role}` : 'anonymous'}`);
  }
}
