import { Uscc } from '@cbec/domain';
import { Actor } from '@cbec/event-store';

/** API.md: units `FIN`, `COM`, `CUS`, `PBC`, `CTY-<code>`, `AUDIT`, `APPLICANT`; roles below. */
export const DEPARTMENTS = ['FIN', 'COM', 'CUS', 'PBC'] as const;
export const ROLES = ['officer', 'head', 'auditor', 'applicant'] as const;
export type Role = (typeof ROLES)[number];

const COUNTY = /^CTY-[A-Za-z0-9]{1,16}$/;

export function isKnownUnit(unit: string): boolean {
  return (DEPARTMENTS as readonly string[]).includes(unit) || COUNTY.test(unit) || unit === 'AUDIT' || unit === 'APPLICANT';
}

/**
 * Checks that a claimed identity is coherent: a known unit and role, applicants carry their own valid
 * USCC, auditors belong to AUDIT. Returns the problems (field -> reason); empty when valid.
 */
export function actorProblems(claims: { sub?: unknown; unit?: unknown; role?: unknown; uscc?: unknown }): Array<{ field: string; reason: string }> {
  const problems: Array<{ field: string; reason: string }> = [];
  const { sub, unit, role, uscc } = claims;
  if (typeof sub !== 'string' || sub.trim() === '') problems.push({ field: 'sub', reason: 'must name the user' });
  if (typeof unit !== 'string' || !isKnownUnit(unit)) {
    problems.push({ field: 'unit', reason: `must be one of ${DEPARTMENTS.join(', ')}, CTY-<code>, AUDIT, APPLICANT; got ${JSON.stringify(unit)}` });
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    problems.push({ field: 'role', reason: `must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}` });
  }
  if (problems.length) return problems;
  if ((unit === 'APPLICANT') !== (role === 'applicant')) {
    problems.push({ field: 'role', reason: 'the role "applicant" belongs to the unit APPLICANT and only to it' });
  }
  if ((unit === 'AUDIT') !== (role === 'auditor')) {
    problems.push({ field: 'role', reason: 'the role "auditor" belongs to the unit AUDIT and only to it' });
  }
  if (unit === 'APPLICANT') {
    try {
      Uscc.parse(uscc, 'uscc');
    } catch (e) {
      problems.push({ field: 'uscc', reason: e instanceof Error ? e.message : String(e) });
    }
  } else if (uscc !== undefined) {
    problems.push({ field: 'uscc', reason: 'only an APPLICANT token carries a USCC' });
  }
  return problems;
}

export function actorOf(claims: { sub: string; unit: string; role: string; uscc?: string }): Actor {
  return claims.uscc === undefined
    ? { user: claims.sub, unit: claims.unit, role: claims.role }
    : { user: claims.sub, unit: claims.unit, role: claims.role, uscc: claims.uscc };
}
