import type { components } from '../../lib/api/schema';
import { hasPublicity, objectedSupplement, openRecoveries, openSupplement, pendingRecheck } from './after-decision';

export type CaseDetail = components['schemas']['CaseDetailResponse'];

export type CaseAction =
  | 'accept'
  | 'return'
  | 'approve-opinion'
  | 'reject-opinion'
  | 'approve'
  | 'reject'
  | 'disburse'
  | 'object'
  | 'uphold'
  | 'withdraw'
  | 'revoke'
  | 'repay'
  | 'recheck'
  | 'confirm'
  | 'supplement-approve-opinion'
  | 'supplement-reject-opinion'
  | 'supplement-approve'
  | 'supplement-disburse'
  | 'supplement-overrule'
  | 'supplement-refuse';

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
  return [...beforeDecision(c, person), ...afterDecision(c, person)];
}

function beforeDecision(c: CaseDetail, person: Person): CaseAction[] {
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

/**
 * After the decision (docs/after-decision.md): COM (officer or head) raises an objection during 公示; the lead
 * unit's head upholds or withdraws an objected award and records a pending recheck (复核); the FIN head revokes an
 * approved, objected or paid award (骗取); a FIN officer records repayments against an open recovery order (追回).
 */
function afterDecision(c: CaseDetail, person: Person): CaseAction[] {
  // 免申即享: the enterprise confirms the declarations of the case COM opened for it, before its acceptance.
  if (person.unit === 'APPLICANT' && c.status === 'submitted' && c.proactive && c.proactive.confirmedBy === null) return ['confirm'];
  const head = person.role === 'head';
  const actions: CaseAction[] = [];
  if (person.unit === 'COM' && (head || person.role === 'officer') && hasPublicity(c)) actions.push('object');
  if (person.unit === c.leadUnit && head && c.status === 'publicity-objected') actions.push('uphold', 'withdraw');
  if (person.unit === c.leadUnit && head && pendingRecheck(c) && ['approved', 'publicity-objected', 'disbursed'].includes(c.status)) actions.push('recheck');
  if (person.unit === 'FIN' && head && ['approved', 'publicity-objected', 'disbursed'].includes(c.status)) actions.push('revoke');
  if (person.unit === 'FIN' && person.role === 'officer' && openRecoveries(c).length > 0) actions.push('repay');
  // 补发 through the normal approval: each cooperating unit's officer countersigns, the lead unit's head approves, FIN pays.
  const supplement = openSupplement(c);
  if (supplement) {
    const pending = supplement.pending as Array<{ unit?: string }>;
    if (person.role === 'officer' && pending.some((p) => p.unit === person.unit)) actions.push('supplement-approve-opinion', 'supplement-reject-opinion');
    if (person.unit === c.leadUnit && head && pending.length === 0 && !supplement.approved) actions.push('supplement-approve');
    if (person.unit === 'FIN' && person.role === 'officer' && supplement.approved && !supplement.paid) actions.push('supplement-disburse');
  }
  // A cooperating unit objected (不同意): the lead unit's head approves over the objection or refuses the 补发.
  if (person.unit === c.leadUnit && head && objectedSupplement(c)) actions.push('supplement-overrule', 'supplement-refuse');
  return actions;
}
