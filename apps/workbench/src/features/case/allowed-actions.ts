import type { components } from '../../lib/api/schema';

export type CaseDetail = components['schemas']['CaseDetailResponse'];

export type CaseAction = 'accept' | 'return' | 'approve-opinion' | 'reject-opinion' | 'approve' | 'reject' | 'disburse';

export interface Person {
  unit: string;
  role: string;
  uscc?: string | null;
}

/**
 * What this person may do to the case now, as the server's rules allow it (docs/api.md, "Who may do
 * what"; libs/workflow/src/auth/authorization.ts): the lead unit accepts and returns (officer), approves
 * (head) and rejects (officer or head); a cooperating unit with a pending review gives its opinion
 * (officer); FIN records the payment of an approved award (officer). The server still decides: a button
 * offered here that the server refuses shows the refusal.
 */
export function allowedActions(c: CaseDetail, person: Person): CaseAction[] {
  const lead = person.unit === c.leadUnit;
  const officer = person.role === 'officer';
  const head = person.role === 'head';
  switch (c.status) {
    case 'submitted':
      return lead && officer ? ['accept', 'return'] : [];
    case 'under-review':
      return officer && c.pendingUnits.some((p) => p.unit === person.unit) ? ['approve-opinion', 'reject-opinion'] : [];
    case 'objected':
      return lead && officer ? ['return', 'reject'] : lead && head ? ['reject'] : [];
    case 'ready-for-decision':
      return lead && head ? ['approve', 'reject'] : lead && officer ? ['reject'] : [];
    case 'approved':
      return person.unit === 'FIN' && officer && !c.disbursement ? ['disburse'] : [];
    default:
      return [];
  }
}
