import { Uscc } from '../shared/uscc';

/**
 * Who a caller can be (docs/api.md): units `FIN`, `COM`, `CUS`, `PBC`, `CTY-<code>`, `AUDIT`, `APPLICANT`,
 * `ADMIN`, and the roles below. The same rules hold for a token's claims and for an account's grant.
 */
export const DEPARTMENTS = ['FIN', 'COM', 'CUS', 'PBC'] as const;
export const ROLES = ['officer', 'head', 'auditor', 'applicant', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** The administrators' unit: manages accounts, acts on no case (separation of duties, 三员分立 in spirit). */
export const ADMIN_UNIT = 'ADMIN';
export const ADMIN_ROLE = 'admin';

const COUNTY = /^CTY-[A-Za-z0-9]{1,16}$/;

export function isKnownUnit(unit: string): boolean {
  return (DEPARTMENTS as readonly string[]).includes(unit) || COUNTY.test(unit) || unit === 'AUDIT' || unit === 'APPLICANT' || unit === ADMIN_UNIT;
}

/** Roles that belong to exactly one unit: that unit has no other role, and no other unit has them. */
const UNIT_OF_ROLE: Record<string, string> = { applicant: 'APPLICANT', auditor: 'AUDIT', admin: ADMIN_UNIT };

/**
 * Checks that a claimed identity is coherent: a known unit and role, applicants carry their own valid
 * USCC, auditors belong to AUDIT, administrators to ADMIN. Returns the problems (field -> reason); empty
 * when valid.
 */
export function actorProblems(claims: { sub?: unknown; unit?: unknown; role?: unknown; uscc?: unknown }): Array<{ field: string; reason: string }> {
  const problems: Array<{ field: string; reason: string }> = [];
  const { sub, unit, role, uscc } = claims;
  if (typeof sub !== 'string' || sub.trim() === '') problems.push({ field: 'sub', reason: 'must name the user' });
  if (typeof unit !== 'string' || !isKnownUnit(unit)) {
    problems.push({
      field: 'unit',
      reason: `must be one of ${DEPARTMENTS.join(', ')}, CTY-<code>, AUDIT, APPLICANT, ${ADMIN_UNIT}; got ${JSON.stringify(unit)}`,
    });
  }
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) {
    problems.push({ field: 'role', reason: `must be one of ${ROLES.join(', ')}; got ${JSON.stringify(role)}` });
  }
  if (problems.length) return problems;
  for (const [ownRole, ownUnit] of Object.entries(UNIT_OF_ROLE)) {
    if ((unit === ownUnit) !== (role === ownRole)) {
      problems.push({ field: 'role', reason: `the role "${ownRole}" belongs to the unit ${ownUnit} and only to it` });
    }
  }
  if (unit === 'APPLICANT') {
    try {
      Uscc.parse(uscc, 'uscc');
    } catch (e) {
      problems.push({ field: 'uscc', reason: e instanceof Error ? e.message : String(e) });
    }
  } else if (uscc !== undefined) {
    problems.push({ field: 'uscc', reason: 'only an APPLICANT token or account carries a USCC' });
  }
  return problems;
}
