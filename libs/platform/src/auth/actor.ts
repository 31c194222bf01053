import { Actor } from '@cbec/event-store';

/** The identity rules are the domain's (libs/domain/src/account/identity.ts): tokens and accounts share them. */
export { ADMIN_ROLE, ADMIN_UNIT, DEPARTMENTS, ROLES, actorProblems, isKnownUnit } from '@cbec/domain';
export type { Role } from '@cbec/domain';

export function actorOf(claims: { sub: string; unit: string; role: string; uscc?: string }): Actor {
  return claims.uscc === undefined
    ? { user: claims.sub, unit: claims.unit, role: claims.role }
    : { user: claims.sub, unit: claims.unit, role: claims.role, uscc: claims.uscc };
}
