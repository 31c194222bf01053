import { Policy } from './policy';
import { ProgramId } from './programs';

/**
 * What refuses an application before any rule runs: the HTTP submission and `evaluate` both ask this,
 * so the one refuses whatever the other does. Each answer names its field and a stable code.
 */
export interface Inadmissible {
  code: 'policy-not-in-force' | 'wrong-beneficiary-kind' | 'award-year-not-over';
  field: string;
  message: string;
  params: Record<string, string | number>;
}

/** Lu'an keeps Beijing time (UTC+8, no daylight saving): the award year ends at 24:00 on 31 December there. */
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** The calendar year in Beijing at `now`. */
export function beijingYear(now: Date): number {
  return new Date(now.getTime() + BEIJING_OFFSET_MS).getUTCFullYear();
}

/**
 * The reasons `program` for award `year` cannot be decided under `policy`: a year the policy version does
 * not govern (policy-not-in-force), a beneficiary of the wrong kind (P4 is a park's), a year not yet over
 * at `now` (docs/policy.md: applications for year Y are made once Y has ended). Without `now`, the clock
 * is not asked (an approval decides an application that passed it).
 */
export function inadmissible(policy: Policy, program: ProgramId, year: number, kind: string | undefined, now?: Date): Inadmissible[] {
  const out: Inadmissible[] = [];
  const { fromYear, toYear } = policy.inForce;
  if (year < fromYear || (toYear !== null && year > toYear)) {
    out.push({
      code: 'policy-not-in-force',
      field: 'year',
      message: `${policy.version} governs award years from ${fromYear}${toYear === null ? '' : ` to ${toYear}`}, not ${year}`,
      params: { version: policy.version, year, fromYear, toYear: toYear ?? '' },
    });
  }
  const expected = policy.programs[program].beneficiaryKind;
  if (kind !== undefined && kind !== expected) {
    out.push({
      code: 'wrong-beneficiary-kind',
      field: 'beneficiary.kind',
      message: `${program} is awarded to a ${expected}, not to a ${kind}`,
      params: { program, expected, actual: kind },
    });
  }
  if (now !== undefined && year >= beijingYear(now)) {
    out.push({
      code: 'award-year-not-over',
      field: 'year',
      message: `applications for ${year} open once ${year} has ended in Beijing time (docs/policy.md)`,
      params: { year, now: now.toISOString() },
    });
  }
  return out;
}
