import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { Actor } from '@cbec/event-store';
import { Unauthorized } from '../http/errors';

export interface AuthenticatedRequest {
  actor?: Actor;
  headers: Record<string, string | string[] | undefined>;
}

/** The authenticated caller, set by the global JWT guard. */
export const CurrentActor = createParamDecorator((_data: unknown, ctx: ExecutionContext): Actor => {
  const actor = ctx.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (!actor) throw new Unauthorized('no authenticated caller');
  return actor;
});
