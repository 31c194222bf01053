import type { Actor } from '@cbec/event-store';
import { canReadCase, COMMERCE_UNIT, FUND_UNIT, isAuditor } from '@cbec/platform';
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
 * `canReadCase` as a SQL condition on `cases`, so the case list pages in SQL. A spec checks that the two
 * agree for every kind of caller.
 */
export function caseVisibilitySql(actor: Actor): { where: string; params: unknown[] } {
  if (isAuditor(actor)) return { where: '1 = 1', params: [] };
  if (actor.unit === 'APPLICANT') {
    return actor.uscc ? { where: 'cases.uscc = ?', params: [actor.uscc] } : { where: '0 = 1', params: [] };
  }
  if (actor.unit === COMMERCE_UNIT || actor.unit === FUND_UNIT) return { where: '1 = 1', params: [] };
  return {
    where: '(cases.lead_unit = ? OR EXISTS (SELECT 1 FROM json_each(cases.cooperating_units) WHERE json_each.value = ?))',
    params: [actor.unit, actor.unit],
  };
}
