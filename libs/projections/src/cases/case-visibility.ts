import type { Actor } from '@cbec/event-store';
import type { SqlDialect } from '../runner/projection';
import { jsonArrayHasSql } from '../runner/read-model-engine';
import { countyOfUnit } from '@cbec/domain';
import { canReadCase, COMMERCE_UNIT, Forbidden, FUND_UNIT, isAuditor, NotFound, WorkflowError } from '@cbec/platform';
import type { CaseRow } from './cases.projection';

/** The parties of a case row, in the shape the workflow's authorization reads. */
export function partiesOf(row: Pick<CaseRow, 'lead_unit' | 'cooperating_units' | 'uscc'>) {
  return {
    leadUnit: row.lead_unit,
    cooperatingUnits: JSON.parse(row.cooperating_units) as string[],
    beneficiaryUscc: row.uscc,
  };
}

export function mayReadCase(actor: Actor, row: Pick<CaseRow, 'lead_unit' | 'cooperating_units' | 'uscc'>): boolean {
  return canReadCase(actor, partiesOf(row));
}

/**
 * The answer to a caller who may not read a case. An applicant is told nothing about another enterprise's
 * case, not even that it exists: the same 404 as for no case at all (docs/api.md "Uniform answers"). A
 * department or AUDIT knows the case list of the city and gets the 403 that names the rule.
 */
export function unreadableCase(actor: Actor, applicationId: string): WorkflowError {
  if (actor.unit === 'APPLICANT') return new NotFound(`no application "${applicationId}"`);
  return new Forbidden(`${actor.unit} ${actor.role} "${actor.user}" is not a party to application ${applicationId}`);
}

/**
 * `canReadCase` as a SQL condition on `cases`, so the case list pages in SQL. A spec checks that the two
 * agree for every kind of caller.
 */
export function caseVisibilitySql(actor: Actor, dialect: SqlDialect = 'sqlite'): { where: string; params: unknown[] } {
  if (isAuditor(actor)) return { where: '1 = 1', params: [] };
  if (actor.unit === 'APPLICANT') {
    return actor.uscc ? { where: 'cases.uscc = ?', params: [actor.uscc] } : { where: '0 = 1', params: [] };
  }
  if (actor.unit === COMMERCE_UNIT || actor.unit === FUND_UNIT) return { where: '1 = 1', params: [] };
  const county = countyOfUnit(actor.unit);
  if (county !== null) {
    return {
      where: `(substr(cases.uscc, 3, 6) = ? OR cases.lead_unit = ? OR ${jsonArrayHasSql(dialect, 'cases.cooperating_units')})`,
      params: [county, actor.unit, actor.unit],
    };
  }
  return {
    where: `(cases.lead_unit = ? OR ${jsonArrayHasSql(dialect, 'cases.cooperating_units')})`,
    params: [actor.unit, actor.unit],
  };
}
