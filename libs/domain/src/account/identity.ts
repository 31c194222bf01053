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

/**
 * The districts and counties of 六安市 (GB/T 2260), the only codes a county unit `CTY-<code>` may carry:
 * 金安区, 裕安区, 叶集区, 霍邱县, 舒城县, 金寨县, 霍山县 (their names are in the i18n catalogue).
 */
export const LUAN_COUNTY_CODES = ['341502', '341503', '341504', '341522', '341523', '341524', '341525'] as const;
export type CountyCode = (typeof LUAN_COUNTY_CODES)[number];

/** The county code of a county unit (`CTY-341502` → `341502`), or null for any other unit. */
export function countyOfUnit(unit: string): CountyCode | null {
  const m = /^CTY-(\d{6})$/.exec(unit);
  return m && (LUAN_COUNTY_CODES as readonly string[]).includes(m[1]) ? (m[1] as CountyCode) : null;
}

/**
 * The county of an enterprise: the administrative-division code in characters 3–8 of its USCC (GB
 * 32100-2015), when it is one of Lu'an's districts or counties; null for a city-level registration
 * (341500) or one outside the city (docs/policy.md reads locality from the same code).
 */
export function countyOfUscc(uscc: string): CountyCode | null {
  const division = uscc.slice(2, 8);
  return (LUAN_COUNTY_CODES as readonly string[]).includes(division) ? (division as CountyCode) : null;
}

export function isKnownUnit(unit: string): boolean {
  return (DEPARTMENTS as readonly string[]).includes(unit) || countyOfUnit(unit) !== null || unit === 'AUDIT' || unit === 'APPLICANT' || unit === ADMIN_UNIT;
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
      reason: `must be one of ${DEPARTMENTS.join(', ')}, CTY-<code> (${LUAN_COUNTY_CODES.join(', ')}), AUDIT, APPLICANT, ${ADMIN_UNIT}; got ${JSON.stringify(unit)}`,
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
