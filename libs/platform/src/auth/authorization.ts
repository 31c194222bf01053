import { Actor } from '@cbec/event-store';
import { ADMIN_UNIT, DEPARTMENTS } from './actor';

/**
 * Who may read what, as pure functions of the caller and a case's parties (docs/api.md, "Who may do what").
 * `AUDIT` reads everything and changes nothing. `ADMIN` manages accounts and reads no case (separation of
 * duties: whoever grants access holds none to the cases). Who may take a workflow step is the workflow's
 * `assertCanAct`.
 */
/** The part of a program's policy parameters that decides who acts on its cases. */
export interface ProgramUnits {
  leadUnit: string;
  cooperatingUnits: readonly string[];
}

/** What authorization needs to know of one case. */
export interface CaseParties extends ProgramUnits {
  beneficiaryUscc: string;
}

/** The unit that pays from the special fund (docs/policy.md 五（二）). */
export const FUND_UNIT = 'FIN';
/** The unit whose statistics decide (海关统计数据). */
export const CUSTOMS_UNIT = 'CUS';
/** The unit that records municipal foreign-trade awards and may submit on an applicant's behalf. */
export const COMMERCE_UNIT = 'COM';

export function isDepartment(actor: Actor): boolean {
  return (DEPARTMENTS as readonly string[]).includes(actor.unit) || actor.unit.startsWith('CTY-');
}

export function isAuditor(actor: Actor): boolean {
  return actor.unit === 'AUDIT';
}

/** Parties to a case: its lead and cooperating units, the leading-group office (COM), AUDIT, its own applicant. */
export function isAdministrator(actor: Actor): boolean {
  return actor.unit === ADMIN_UNIT;
}

export function canReadCase(actor: Actor, parties: CaseParties): boolean {
  if (isAuditor(actor)) return true;
  if (isAdministrator(actor)) return false;
  if (actor.unit === 'APPLICANT') return actor.uscc !== undefined && actor.uscc === parties.beneficiaryUscc;
  return actor.unit === parties.leadUnit || parties.cooperatingUnits.includes(actor.unit) || actor.unit === COMMERCE_UNIT || actor.unit === FUND_UNIT;
}

/** Beneficiary totals: departments, AUDIT, and that applicant. */
export function canReadBeneficiary(actor: Actor, uscc: string): boolean {
  if (actor.unit === 'APPLICANT') return actor.uscc === uscc;
  return isAuditor(actor) || isDepartment(actor);
}
